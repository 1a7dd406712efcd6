import groovy.json.JsonSlurper

String id = '3.11.2-debian-12-amd64'
File work = new File(basedir, "target/python-runtime/${id}")
File staging = new File(work, 'staging')
String log = new File(basedir, 'build.log').text

def run(List<String> cmd, File dir = null) {
    def pb = new ProcessBuilder(cmd.collect { it.toString() }).redirectErrorStream(true)
    if (dir != null) pb.directory(dir)
    pb.environment().remove('LD_LIBRARY_PATH')
    pb.environment().remove('PYTHONPATH')
    pb.environment().remove('PYTHONHOME')
    Process p = pb.start()
    String out = p.inputStream.text
    assert p.waitFor() == 0 : "${cmd} failed:\n${out}"
    return out.trim()
}

// Built once, then up to date.
assert log.count("${id}: configure ...") == 1 : 'configure ran more than once'
assert log.count("${id}: up to date") == 1
assert new File(work, 'compiled.fingerprint').text.trim() == new JsonSlurper().parse(new File(work, 'plan.json')).fingerprint
assert new File(work, 'build-info.json').isFile() : 'no build-info.json (toolchain, SOURCE_DATE_EPOCH)'
for (phase in ['configure', 'make', 'install', 'cleanup', 'relocate', 'compileall']) {
    assert new File(work, "logs/${phase}.log").isFile() : "no ${phase} log"
}

// archive.symbols: separate: libpython is stripped, and its debug file is under symbols/ by its build-id.
String libpython = new File(staging, 'lib/libpython3.11.so.1.0').path
assert !run(['readelf', '-S', libpython]).contains('.symtab') : 'libpython is not stripped'
String buildId = (run(['readelf', '-n', libpython]) =~ /Build ID: ([0-9a-f]+)/)[0][1]
File debug = new File(work, "symbols/.build-id/${buildId[0..1]}/${buildId.substring(2)}.debug")
assert debug.isFile() && run(['readelf', '-S', debug.path]).contains('.debug_info')
assert new File(work, 'logs/symbols.log').text.contains("lib/libpython3.11.so.1.0 ${buildId}\n")

// The interpreter runs and imports the C modules a runtime must have.
File python3 = new File(staging, 'bin/python3')
assert run([python3.path, '--version']) == 'Python 3.11.2'
assert java.nio.file.Files.isSymbolicLink(new File(staging, 'bin/python').toPath())
assert new File(staging, 'bin/python3.11').canExecute()
String modules = 'ssl sqlite3 ctypes lzma bz2 zlib readline curses dbm.gnu dbm.ndbm uuid decimal xml.parsers.expat _uuid'
assert run([python3.path, '-c', "import importlib; [importlib.import_module(m) for m in '${modules}'.split()]; print('ok')"]) == 'ok'

// builtinModules: compiled into the interpreter and into libpython3.11.so (for embedders), none left in lib-dynload.
assert run([python3.path, '-c', "import sys, _json, _struct; print(all(m in sys.builtin_module_names for m in ('_json', '_struct')))"]) == 'True'
File dynload = new File(staging, 'lib/python3.11/lib-dynload')
assert !dynload.list().any { it.startsWith('_json.') || it.startsWith('_struct.') } : dynload.list().sort().join(' ')
assert dynload.list().any { it.startsWith('_pickle.') } : 'a module not listed is still built shared'
assert run(['nm', '-D', '--defined-only', new File(staging, 'lib/libpython3.11.so.1.0').path]).contains(' T PyInit__json')
assert new File(basedir, "target/python-runtime/${id}/build/Modules/Setup.local").text.contains('*static*\n_json _json.c\n_struct _struct.c\n')

// sysconfig carries the --build triplet and the resolved flags.
def plan = new JsonSlurper().parse(new File(work, 'plan.json'))
String triplet = run(['dpkg-architecture', '-qDEB_BUILD_GNU_TYPE'])
String configArgs = run([python3.path, '-c', "import sysconfig; print(sysconfig.get_config_var('CONFIG_ARGS'))"])
assert configArgs.contains("'--build=${triplet}'")
plan.configure.each { assert configArgs.contains("'${it.value}'") : "CONFIG_ARGS lacks ${it.value}: ${configArgs}" }
String cflags = run([python3.path, '-c', "import sysconfig; print(sysconfig.get_config_var('CFLAGS'))"])
// The build directory's path is replaced in the installed tree, so the same build gives the same files anywhere; what
// consumers inherit leaves out the flags only this build needed (its -ffile-prefix-map, rpath, --strip-all).
String placeholder = "/tmp/python-runtime/build/${id}"
plan.flags.EXTRA_CFLAGS.each {
    String flag = it.value.replace(plan.buildDir, placeholder)
    if (flag.startsWith('-ffile-prefix-map=')) {
        assert !cflags.contains(flag) : "sysconfig CFLAGS still has ${flag}: ${cflags}"
    } else {
        assert cflags.contains(flag) : "sysconfig CFLAGS lacks ${flag}: ${cflags}"
    }
}
String ldshared = run([python3.path, '-c', "import sysconfig; print(sysconfig.get_config_var('LDSHARED'))"])
assert !ldshared.contains('rpath') && !ldshared.contains('--strip-all') : ldshared
assert new File(work, 'logs/relocate.log').text.contains('_sysconfigdata__linux_x86_64-linux-gnu.py: prefix computed')
File sysconfigData = new File(staging, 'lib/python3.11/_sysconfigdata__linux_x86_64-linux-gnu.py')
assert !sysconfigData.text.contains(plan.buildDir) && sysconfigData.text.contains(placeholder)
String cppflags = run([python3.path, '-c', "import sysconfig; print(sysconfig.get_config_var('CPPFLAGS'))"])
assert cppflags.contains('-D_FORTIFY_SOURCE=2') : cppflags

// Relocatable: RUNPATH $ORIGIN/../lib on the interpreter and the extension modules; a moved copy runs.
File ssl = new File(staging, 'lib/python3.11/lib-dynload').listFiles().find { it.name.startsWith('_ssl.') }
for (f in [new File(staging, 'bin/python3.11'), ssl]) {
    assert run(['readelf', '-d', f.path]).contains('Library runpath: [$ORIGIN/../lib]') : "${f} has no relocatable RUNPATH"
}
// The interpreter has libpython linked in (LINK_PYTHON_OBJS), and libpython3.11.so is still shipped for embedding.
String needed = run(['readelf', '-d', new File(staging, 'bin/python3.11').path])
assert !needed.contains('libpython') : "bin/python3.11 still needs libpython: ${needed}"
assert run(['readelf', '-d', new File(staging, 'lib/libpython3.11.so.1.0').path]).contains('Library soname: [libpython3.11.so.1.0]')
assert cflags.contains(' -O3 ') && !cflags.contains('-O2') : "dpkg's -O2 removed, CPython's -O3 kept: ${cflags}"
File moved = new File(basedir, 'target/moved-python')
run(['cp', '-a', staging.path, moved.path])
assert run([new File(moved, 'bin/python3').path, '-c', 'import sys, ssl, sqlite3; print(sys.prefix)']) == moved.path

// Cleanup and deterministic byte-code.
assert !new File(staging, 'lib/python3.11/test').exists()
assert !new File(staging, 'bin/idle3').exists() && !new File(staging, 'bin/pydoc3').exists()
assert run(['find', staging.path, '-name', 'libpython*.a']) == ''
File pyc = new File(staging, 'lib/python3.11/__pycache__').listFiles().find { it.name.startsWith('os.') }
byte[] header = pyc.bytes
assert header[4] == 1 && header[5] == 0 : 'os.pyc is not an unchecked-hash pyc'
return true
