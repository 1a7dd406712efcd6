import groovy.json.JsonSlurper
import java.security.MessageDigest

String id = '3.11.2-debian-12-amd64'
String name = "python-${id}.tar.zst"
File out = new File(basedir, 'target/python-runtime')
File work = new File(out, id)
String log = new File(basedir, 'build.log').text

def sha256(File f) { MessageDigest.getInstance('SHA-256').digest(f.bytes).encodeHex().toString() }
def run(List<String> cmd) {
    def pb = new ProcessBuilder(cmd).redirectErrorStream(true)
    pb.environment().put('TZ', 'UTC')
    def p = pb.start()
    String text = p.inputStream.text
    assert p.waitFor() == 0 : "${cmd} failed:\n${text}"
    return text
}

// 1. Compiled once by the setup project, never here; packed by the package goal; every check passed.
assert !log.contains("${id}: configure ...") : 'the copied build was not up to date'
assert log.contains("${id}: up to date")
assert log.contains("${id}: packed ${name}")
// The first verify passed every check (the table in the log; verify-report.json is the last run's, below).
for (c in ['archive-sha256', 'unpack', 'layout-bin', 'layout-cleanup', 'bytecode', 'build-paths', 'elf-relro',
           'elf-nx-stack', 'elf-pie', 'elf-textrel', 'elf-runpath', 'elf-stack-protector', 'elf-fortify', 'version',
           'modules', 'sysconfig', 'builtin', 'ldd', 'embed', 'install-prefix', 'module-set', 'extension',
           'interpreter', 'sandbox', 'supply-chain', 'symbols', 'symbols-gdb']) {
    assert log =~ /(?m)PASS +${c} / : "check ${c} did not pass in the first verify"
}
// The interpreter, ldd and the extension and embedding programs ran in bubblewrap, as nobody (CI runs as root).
assert log =~ /(?m)PASS +sandbox .*: bubblewrap on host debian-12\/amd64: no network, (uid 65534 without capabilities|not root)/
// Skipped: elf-bindnow (the plan does not link with -z now) and run-image (the manifest names no run image).
assert log =~ /(?m)verify ${name}: 28 passed, 0 failed, 2 skipped/
// A stock gdb, given only the unpacked symbols archive, names Py_BytesMain's source line in the stripped libpython.
assert log =~ /(?m)PASS +symbols-gdb .*lib\/libpython3\.11\.so\.1\.0: Py_BytesMain is line \d+ of Modules\/main\.c/
// The setup project's builtinModules are compiled in.
assert log =~ /(?m)PASS +builtin .* 2 modules: _json _struct/
// debian-12's dpkg-buildflags do not link with -z now by default.
assert log =~ /(?m)SKIPPED +elf-bindnow +BIND_NOW: the plan does not link with -Wl,-z,now/
// crypt is among the modules that imported (the plan's list, which the console's PASS line shows only in part).
assert log =~ /(?m)imports +crypt +plugin default for 3\.10 to 3\.12/ && log =~ /(?m)PASS +modules /

// The first run's archive: its sidecar, its metadata, stock tools read it.
File first = new File(basedir, 'target/first.tar.zst')
File second = new File(basedir, 'target/second.tar.zst')
String firstSha = sha256(first)
def meta = new JsonSlurper().parse(new File(out, "python-${id}.json"))
assert meta.sha256 == firstSha && meta.size == first.length()
assert meta.version == '3.11.2' && meta.distro == 'debian-12' && meta.distroVersion == '12' && meta.arch == 'amd64'
assert meta.sourceSha256 == '2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849'
assert meta.planFingerprint == new JsonSlurper().parse(new File(work, 'plan.json')).fingerprint
assert meta.toolchain.gcc =~ /^\d+\.\d+/ && meta.toolchain.binutils && meta.toolchain.glibc && meta.dpkgBuildflags
assert meta.configure.any { it.value == '--enable-shared' && it.origin }
assert meta.flags.EXTRA_CFLAGS.any { it.value.startsWith('-ffile-prefix-map=${buildDir}') }
assert meta.entryTime == 1735689600L // project.build.outputTimestamp
assert new File(out, "${name}.sha256").text == "${firstSha}  ${name}\n"
File unpacked = new File(basedir, 'target/stock-tar')
unpacked.mkdirs()
run(['tar', '--zstd', '-xf', first.path, '-C', unpacked.path])
assert run([new File(unpacked, 'bin/python3').path, '-c', 'import ssl, sys; print(sys.version)']).contains('3.11.2')
run(['zstd', '-q', '-t', first.path])
String listing = run(['tar', '--zstd', '-tvf', first.path])
assert listing.readLines().every { it.contains(' 0/0 ') } : 'an entry not owned by 0/0'
assert listing.readLines().every { it.contains('2025-01-01 00:00') } : 'an entry with another time'

// 2. python-runtime:package on its own packed the same bytes, without compiling.
assert sha256(second) == firstSha : 'packing twice gave different archives'
assert log.count("${id}: packed ${name}") == 2

// 3. One byte changed: the checksum check fails and says so, the others still ran.
assert log.contains("archive-sha256: the archive's sha256 is ")
assert log.contains("but ${name}.sha256 says ${firstSha}")
// zstd finds the flipped bit while decoding a block, or else by the frame's checksum: which one depends on what the
// byte at that offset happens to encode.
assert log =~ /unpack: cannot read ${java.util.regex.Pattern.quote(name)} as a zstd-compressed tar: (Data corruption detected|Restored data doesn't match checksum)/

// 4. The crafted archive: refused, naming the entry; the checks that need an unpacked tree did not run.
assert log.contains("unpack: ${name}: refusing entry '../pom.xml'")
def report = new JsonSlurper().parse(new File(work, 'verify-report.json'))
def byId = report.checks.collectEntries { [it.id, it] }
assert report.passed == false
assert byId['archive-sha256'].status == 'FAIL' && byId['unpack'].status == 'FAIL'
// Skipped under the ids a good archive's report has.
assert ['layout-bin', 'layout-cleanup', 'bytecode', 'build-paths', 'install-prefix', 'elf-relro', 'elf-pie',
        'interpreter', 'sandbox', 'version', 'modules', 'sysconfig', 'builtin', 'module-set', 'ldd', 'extension', 'embed',
        'run-image'].every { byId[it]?.status == 'SKIPPED' } : report.checks*.id
assert !new File(work, 'pom.xml').exists() && !new File(basedir, 'target/python-runtime/pom.xml').exists()
return true
