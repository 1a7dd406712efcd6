String id = '3.11.2-debian-12-amd64'
String name = "python-${id}.tar.zst"
File out = new File(basedir, 'target/python-runtime')
File home = new File(basedir, 'target/un packed')
File root = new File(home, 'python')

String run(List cmd, File dir = basedir, Map env = [:]) {
    def pb = new ProcessBuilder(cmd.collect { it.toString() }).directory(dir).redirectErrorStream(true)
    ['LD_LIBRARY_PATH', 'PYTHONPATH', 'PYTHONHOME', 'PKG_CONFIG_PATH'].each { pb.environment().remove(it) }
    pb.environment().put('PYTHONDONTWRITEBYTECODE', '1')
    pb.environment().putAll(env)
    Process p = pb.start()
    String text = p.inputStream.text
    assert p.waitFor() == 0 : "${cmd} failed:\n${text}"
    return text.trim()
}
// pkg-config's output: white space separates, a backslash escapes (a space in a path).
List words(String s) {
    def out = []
    def w = null
    for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i)
        if (c == '\\' as char && i + 1 < s.length()) { w = (w ?: '') + s.charAt(++i) }
        else if (Character.isWhitespace(c)) { if (w != null) { out << w; w = null } }
        else { w = (w ?: '') + c }
    }
    if (w != null) out << w
    return out
}
String log = new File(basedir, 'build.log').text
assert log.contains("${id}: up to date") && log.contains("${id}: packed ${name}")
assert log =~ /(?m)PASS +extension / && log =~ /(?m)PASS +embed / && log =~ /(?m)PASS +install-prefix /
assert log =~ /(?m)PASS +module-set /

// The metadata lists what a run image needs, read from dpkg where it was built; with only those packages in a bare
// debian-12 image (minbase), the runtime runs (invocation 1), and without libssl3 it does not (invocation 2).
def meta = new groovy.json.JsonSlurper().parse(new File(out, "python-${id}.json"))
assert meta.runtime.extensionModules.contains('_ssl') && meta.runtime.builtinModules.contains('_json')
assert !meta.runtime.extensionModules.contains('_tkinter') : 'the manifest leaves _tkinter out'
// (invocation 2 took libssl3 out of the metadata; the rest is as compile recorded it)
def packages = meta.runtime.packages*.name
for (p in ['libc6', 'libffi8', 'libsqlite3-0', 'libexpat1', 'libreadline8', 'libncursesw6', 'libgdbm6', 'liblzma5', 'zlib1g']) {
    assert packages.contains(p) : "${p} missing from ${packages}"
}
assert meta.runtime.unpackaged == []
assert log =~ /(?m)PASS +run-image .*: container python-runtime\/debian-12-run .* with \d+ packages/
assert log =~ /(?m)FAIL +run-image .*libssl\.so\.3 => not found/
assert log.contains('cannot import ssl')

// The consumer checks the download and unpacks it where they like: a path with a space.
assert run(['sha256sum', '-c', "${name}.sha256"], out) == "${name}: OK"
root.mkdirs()
run(['tar', '--zstd', '-xf', new File(out, name).path, '-C', root.path])
File python = new File(root, 'bin/python3')
assert run([python.path, '-c', 'import sys, sysconfig; print(sys.prefix); print(sysconfig.get_config_var("INCLUDEPY"))']) ==
        "${root}\n${root}/include/python3.11"

// A C extension with Debian's setuptools (python3-setuptools, 66.1), as `pip install` of an sdist would build it:
// first with the runtime itself, then with a venv of it.
Map setuptools = [PYTHONPATH: '/usr/lib/python3/dist-packages']
assert new File('/usr/lib/python3/dist-packages/setuptools/__init__.py').isFile() : 'install python3-setuptools'
def buildAndImport = { File interpreter, File dir ->
    run(['cp', '-r', new File(basedir, 'ext').path, dir.path])
    String built = run([interpreter.path, 'setup.py', 'build_ext', '--inplace'], dir, setuptools)
    assert built.contains("-I${root}/include/python3.11") : built
    assert run([interpreter.path, '-c', 'import hello; print(hello.greet("runtime"), hello.__file__)'], dir) ==
            "hello, runtime ${dir}/hello.cpython-311-x86_64-linux-gnu.so"
    String dynamic = run(['readelf', '-d', "${dir}/hello.cpython-311-x86_64-linux-gnu.so"])
    assert !dynamic.contains('RUNPATH') && !dynamic.contains('RPATH') : "the runtime's own rpath leaked: ${dynamic}"
    assert run(['readelf', '-S', "${dir}/hello.cpython-311-x86_64-linux-gnu.so"]).contains('.symtab') :
            'stripped: --strip-all leaked into LDSHARED'
}
buildAndImport(python, new File(home, 'ext from runtime'))
File venv = new File(home, 'a venv')
run([python.path, '-m', 'venv', '--without-pip', venv.path])
File venvPython = new File(venv, 'bin/python')
// From the venv, sysconfig names the base runtime (where the headers are), not the venv.
assert run([venvPython.path, '-c', 'import sysconfig; print(sysconfig.get_config_var("INCLUDEPY"))']) == "${root}/include/python3.11"
buildAndImport(venvPython, new File(home, 'ext from venv'))

// An application embeds it with what pkg-config says.
Map pc = [PKG_CONFIG_PATH: new File(root, 'lib/pkgconfig').path]
List flags = words(run(['pkg-config', '--cflags', '--libs', 'python-3.11-embed'], basedir, pc))
String libdir = words(run(['pkg-config', '--variable=libdir', 'python-3.11-embed'], basedir, pc))[0]
File program = new File(home, 'embed')
run(['cc', '-o', program.path, new File(basedir, 'ext/embed.c').path] + flags + ["-Wl,-rpath,${libdir}"])
assert run([program.path], basedir, [PYTHONHOME: root.path]) == "3.11.2 ${root}"

// Scripts in bin/ run after the move (their shebang was the build prefix).
assert new File(root, 'bin/2to3-3.11').text.startsWith('#!/bin/sh\n')
assert run([new File(root, 'bin/2to3-3.11').path, '--help']).contains('Usage: 2to3')

// python3.11-config (CPython's shell script splits words at spaces): in a copy without one.
File plain = new File(basedir, 'target/plain/python')
plain.parentFile.mkdirs()
run(['cp', '-a', root.path, plain.path])
assert run([new File(plain, 'bin/python3.11-config').path, '--includes']) ==
        "-I${plain}/include/python3.11 -I${plain}/include/python3.11"
assert run([new File(plain, 'bin/python3.11-config').path, '--ldflags', '--embed']).startsWith("-L${plain}/lib ")
return true
