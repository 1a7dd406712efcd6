import groovy.json.JsonSlurper

String host = '3.11.2-debian-12-amd64'
String boxed = '3.13.5+freethreaded-debian-13-amd64'
File out = new File(basedir, 'target/python-runtime')
String log = new File(basedir, 'build.log').text
def json = { File f -> new JsonSlurper().parse(f) }
def engine = { String... args ->
    def cmd = [containerEngine] + (containerEngineArgs.trim() ? containerEngineArgs.trim().split(/\s+/).toList() : []) + args.toList()
    def p = cmd.execute()
    String text = p.text
    assert p.waitFor() == 0 : "${cmd} failed: ${p.err.text}"
    return text
}

// 1. One run, both targets: the host one up to date, the debian-13 one configured, built and verified in a container.
assert log.contains("${host}: up to date")
assert log.contains("${boxed}: configure ...")
assert log.contains("${host} on host debian-12/amd64")
// The target id has a '+' (the variant), which a regex must take literally.
assert log =~ (java.util.regex.Pattern.quote(boxed) + / on container python-runtime\/debian-13-build \(podman, image [0-9a-f]{12}\)/)

def plan13 = json(new File(out, "${boxed}/plan.json"))
def plan12 = json(new File(out, "${host}/plan.json"))
assert plan13.environment.executor == 'container'
assert plan13.environment.image == 'python-runtime/debian-13-build'
assert plan12.environment.executor == 'host'
String cflags13 = plan13.environment.dpkgFlags.CFLAGS.value
String cflags12 = plan12.environment.dpkgFlags.CFLAGS.value
// Trixie's own flags, read by dpkg-buildflags inside the container (bookworm's has none of the -Werror ones).
for (f in ['-fstack-clash-protection', '-fcf-protection', '-Werror=implicit-function-declaration']) {
    assert cflags13.split(' ').contains(f) : "${f} missing from debian-13's dpkg CFLAGS: ${cflags13}"
}
assert !cflags12.contains('-Werror=implicit-function-declaration') : cflags12
assert plan13.environment.dpkgVersion.startsWith('1.22') : plan13.environment.dpkgVersion

// Built by trixie's toolchain, not the host's.
def info13 = json(new File(out, "${boxed}/build-info.json"))
def info12 = json(new File(out, "${host}/build-info.json"))
assert info13.toolchain.gcc.startsWith('14.') && info13.toolchain.glibc.startsWith('2.41') : info13
assert info12.toolchain.gcc.startsWith('12.') : info12

// Both archives verified; the debian-13 one by its interpreter running inside the same image.
for (id in [host, boxed]) {
    def report = json(new File(out, "${id}/verify-report.json"))
    assert report.passed == true : "${id}: ${report.checks.findAll { it.status != 'PASS' }}"
    assert new File(out, "python-${id}.tar.zst").isFile()
}
def report13 = json(new File(out, "${boxed}/verify-report.json"))
assert report13.environment.startsWith('container python-runtime/debian-13-build (podman') : report13.environment
assert json(new File(out, "${host}/verify-report.json")).environment == 'host debian-12/amd64'
assert report13.checks.find { it.id == 'version' }.detail.contains('3.13.5')
// The free-threaded variant: its archive is named for it, its plan says where --disable-gil came from, and verify
// proved it is what it claims: the t ABI (bin/python3.13t, lib/python3.13t, python-3.13t.pc), the GIL off after
// start-up, and two threads running Python code at the same time.
assert new File(out, 'python-3.13.5+freethreaded-debian-13-amd64.tar.zst').isFile()
assert !new File(out, 'python-3.13.5-debian-13-amd64.tar.zst').exists()
assert plan13.target.variant == 'freethreaded'
assert plan13.configure.find { it.value == '--disable-gil' }.origin.startsWith('variants.freethreaded (python.yaml:')
def meta13 = json(new File(out, 'python-3.13.5+freethreaded-debian-13-amd64.json'))
assert meta13.variant == 'freethreaded' && meta13.target == boxed
def variant13 = report13.checks.find { it.id == 'variant' }
assert variant13.status == 'PASS' && variant13.detail.contains("sys.abiflags 't'") : variant13
assert variant13.detail.contains('bin/python3.13t') && variant13.detail.contains('lib/pkgconfig/python-3.13t.pc') : variant13
assert variant13.detail.contains('GIL off at start-up') : variant13
def threads13 = report13.checks.find { it.id == 'threads-parallel' }
assert threads13.status == 'PASS' : threads13
assert report13.checks.find { it.id == 'extension' }.detail.contains('the GIL stays off')
// The default build has its variant checked too: no t, no GIL switch, and no threads check.
def host12 = json(new File(out, "${host}/verify-report.json"))
assert host12.checks.find { it.id == 'variant' }.status == 'PASS'
assert host12.checks.find { it.id == 'threads-parallel' } == null
// Embedding was checked in the image too: compiled with trixie's cc and pkg-config against the shipped libpython3.13.so,
// and so was a C extension built from the runtime's own sysconfig.
assert report13.checks.find { it.id == 'embed' }.detail.contains('started 3.13.5')
assert report13.checks.find { it.id == 'extension' }.status == 'PASS'
// What ran from the archive ran confined: as nobody in the image's container (no network there), bubblewrap on the host.
assert report13.checks.find { it.id == 'sandbox' }.detail.startsWith('setpriv in container python-runtime/debian-13-build')
assert json(new File(out, "${host}/verify-report.json")).checks.find { it.id == 'sandbox' }.detail
        .startsWith('bubblewrap on host debian-12/amd64: no network')

// No container is left behind; the prepared image (build packages installed once) is kept for the next run.
Set<String> before = new File(basedir, 'containers-before.txt').readLines() as Set
def left = engine('ps', '-a', '--format', '{{.Names}}').readLines().findAll { it.startsWith('python-runtime-') && !before.contains(it) }
assert left.isEmpty() : "containers left behind: ${left}"

assert engine('images', '--format', '{{.Repository}}').contains('localhost/python-runtime-prepared')

// 2. No engine.
assert log.contains("${boxed} needs a container engine (executor: container), and none works on this machine:")
assert log.contains('/nonexistent/podman: not installed')
assert log.contains('apt-get install podman')

// 3. No image.
assert log.contains("${boxed}: the build image 'python-runtime/no-such-image' is not on this machine")
assert log.contains('podman pull python-runtime/no-such-image')
assert !log.contains('\tat dev.pyruntime') && !log.contains('Caused by:')
return true
