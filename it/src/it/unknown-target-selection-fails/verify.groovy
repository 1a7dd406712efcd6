// A python-runtime.targets glob that matches no target fails the build before anything is planned; the message
// names the glob, suggests the closest target id when there is one, and lists the targets the manifest has.
File log = new File(basedir, 'build.log')
assert log.isFile()
List<String> lines = log.readLines()

String failure = '[ERROR] Failed to execute goal dev.pyruntime:python-runtime-maven-plugin:'
String targets = '(targets: 3.13.5-debian-12-amd64, 3.13.5-debian-12-arm64, 3.11.2-debian-12-amd64, 3.11.2-debian-12-arm64)'
List<String> failures = lines.findAll { it.startsWith(failure) }
assert failures.size() == 3: "expected one failure per run, found ${failures}"

// Run 1: 3.13.5-* is fine, 3.99.* is not; no did-you-mean for a release that is nowhere near.
assert failures[0].endsWith(": python-runtime.targets: '3.99.*' matches no target of python.yaml ${targets} -> [Help 1]")

// Run 2: one letter off a real target id.
assert failures[1].endsWith(": python-runtime.targets: '3.13.5-debian-12-amd65' matches no target of python.yaml; "
        + "did you mean '3.13.5-debian-12-amd64'? ${targets} -> [Help 1]")

// Run 3: named, and this amd64 machine cannot build it: where it can be built.
assert failures[2].endsWith(': python-runtime.targets names a target this machine (debian-12, amd64) cannot build:')
int at = lines.indexOf(failures[2])
assert lines[at + 1] == '[ERROR]   3.11.2-debian-12-arm64: this machine is amd64, the target needs arm64 (the manifest\'s ' +
        "'cross' does not let another arch cross-compile arm64); build it on a debian-12 arm64 machine; the manifest's " +
        "CI runner for arm64 is ubuntu-24.04-arm"

assert lines.count { it.contains('BUILD FAILURE') } == 3
assert !lines.any { it.startsWith('\tat ') || it ==~ /\s+at [\w.$<>]+ ?\(.*\).*/ }: 'the log holds a stack trace'

// Failing on the selection means planning nothing, not even the targets the other glob matched.
assert !lines.any { it.contains('Targets:') || it.contains('plan.json') }
assert !new File(basedir, 'target/python-runtime').exists()
return true
