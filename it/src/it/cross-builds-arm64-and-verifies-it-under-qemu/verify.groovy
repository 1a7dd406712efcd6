import groovy.json.JsonSlurper

String id = '3.11.2-debian-12-arm64'
String name = "python-${id}.tar.zst"
File out = new File(basedir, 'target/python-runtime')
File work = new File(out, id)
String log = new File(basedir, 'build.log').text
List<String> runs = log.split(/\[INFO\] Scanning for projects\.\.\./).drop(1) as List<String>
assert runs.size() == 3

String exec(List<String> cmd, File dir = null) {
    def pb = new ProcessBuilder(cmd).redirectErrorStream(true)
    if (dir != null) {
        pb.directory(dir)
    }
    def p = pb.start()
    String text = p.inputStream.text
    assert p.waitFor() == 0 : "${cmd} failed:\n${text}"
    return text
}

// 1. Planned on this amd64 machine, cross-compiled with the target's triplet and flags, without PGO.
assert runs[0] =~ /(?m)${id} +planned +cross-compiled on amd64 \(manifest 'cross'\), without PGO/
assert runs[0] =~ /(?m)configure +--host=aarch64-linux-gnu +dpkg-architecture -aarm64 \(DEB_HOST_GNU_TYPE\)/
assert runs[0] =~ /(?m)configure +--with-build-python=\S+\/build\/build-python\/python +cross: python-runtime\.buildPython \S+compile-builds-a-relocatable-python\S+python3\.11, linked there/
assert runs[0] =~ /(?m)configure +PKG_CONFIG_LIBDIR=\/usr\/lib\/aarch64-linux-gnu\/pkgconfig:\/usr\/share\/pkgconfig/
// The setup project's Python was the build Python: none was built from the source.
assert !runs[0].contains("${id}: build-python-configure")
assert runs[0].contains("${id}: make done in")
// Every check of a native archive passed, the programs run under QEMU in the sandbox; the run image is amd64.
for (c in ['archive-sha256', 'supply-chain', 'unpack', 'layout-bin', 'layout-cleanup', 'bytecode', 'build-paths',
           'install-prefix', 'elf-relro', 'elf-nx-stack', 'elf-pie', 'elf-textrel', 'elf-runpath', 'elf-stack-protector',
           'elf-fortify', 'interpreter', 'emulation', 'sandbox', 'version', 'modules', 'sysconfig', 'builtin',
           'module-set', 'ldd', 'extension', 'embed']) {
    assert runs[0] =~ /(?m)PASS +${c} / : "check ${c} did not pass"
}
assert runs[0] =~ /(?m)PASS +interpreter .*machine 183 \(arm64\)/
assert runs[0] =~ /(?m)PASS +emulation .*: (qemu-aarch64-static \S+|binfmt_misc )/
assert runs[0] =~ /(?m)PASS +sandbox .*bubblewrap on host debian-12\/amd64: no network, (uid 65534 without capabilities|not root)/
assert runs[0] =~ /(?m)PASS +extension .*pyruntime_ext\.cpython-311-aarch64-linux-gnu\.so built/
assert runs[0] =~ /(?m)SKIPPED +run-image .*runs this machine's arch \(amd64\), not arm64/
// Split with the cross objcopy; this machine's gdb reads the arm64 debug files.
assert runs[0] =~ /(?m)PASS +symbols-gdb .*Py_BytesMain is line \d+ of Modules\/main\.c/
assert runs[0] =~ /(?m)verify ${name}: 29 passed, 0 failed, 2 skipped/

// 2. Run again: up to date, verified again.
assert runs[1].contains("${id}: up to date")
assert !runs[1].contains("${id}: make ...")
assert runs[1] =~ /(?m)verify ${name}: 29 passed, 0 failed, 2 skipped/

// 3. A build Python that is not 3.11.2: refused, naming the setting and the fix.
assert runs[2].contains("python-runtime.buildPython is /bin/true, which printed no Python version; a cross build " +
        "needs a Python 3.11.2 that runs here")
assert !runs[2].contains("${id}: configure ...")

// The metadata says how it was built.
def meta = new JsonSlurper().parse(new File(out, "python-${id}.json"))
assert meta.arch == 'arm64'
assert meta.build == [method: 'cross', buildArch: 'amd64', optimizations: []]
assert meta.toolchain.cross == 'amd64 -> arm64' && meta.toolchain.gcc.contains('aarch64-linux-gnu')
assert meta.runtime.packages*.name.containsAll(['libc6', 'libssl3', 'zlib1g'])

// Every path of a tree but byte code, with the arch's multiarch name made neutral.
List<String> paths(File root) {
    exec(['find', '.'], root).readLines().findAll { !it.contains('__pycache__') }
            .collect { String p -> p.replace('x86_64-linux-gnu', 'ARCH').replace('aarch64-linux-gnu', 'ARCH') }.sort()
}

// The same layout as the native archive of the same build: every path, with the arch's name in two of them.
File nativeTree = new File(basedir, '../compile-builds-a-relocatable-python/target/python-runtime/3.11.2-debian-12-amd64/staging')
File crossTree = new File(work, 'verify')
List<String> nativePaths = paths(nativeTree)
List<String> crossPaths = paths(crossTree)
assert nativePaths == crossPaths : "not laid out as the native runtime: only native ${nativePaths - crossPaths}, only cross ${crossPaths - nativePaths}"

// Consumers on arm64 build with gcc, as from a native runtime: sysconfig names the tools without the cross prefix.
String sysconfig = new File(crossTree, 'lib/python3.11/_sysconfigdata__linux_aarch64-linux-gnu.py').text
assert sysconfig.contains("'CC': 'gcc',") && sysconfig.contains("'LDSHARED': 'gcc -shared")
assert !sysconfig.contains('aarch64-linux-gnu-gcc')

// What an arm64 user does, with QEMU standing in for the CPU: the unpacked interpreter runs and says its machine.
assert exec(['qemu-aarch64-static', new File(crossTree, 'bin/python3').path, '-c',
            'import platform, ssl, sqlite3; print(platform.machine())']).trim() == 'aarch64'
exec(['sha256sum', '-c', name + '.sha256'], out)
return true
