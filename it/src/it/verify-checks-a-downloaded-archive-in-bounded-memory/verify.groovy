import groovy.json.JsonSlurper

String id = '3.11.2-debian-12-amd64'
String name = "python-${id}.tar.zst"
String log = new File(basedir, 'build.log').text
// One part per invocation, split where each ends.
List<String> runs = log.split(/(?m)^\[INFO\] BUILD (SUCCESS|FAILURE)$/) as List
assert runs.size() == 8 : "expected 7 invocations, found ${runs.size() - 1}"
assert !log.contains('OutOfMemoryError') && !log.contains('Exception in thread')
File report = new File(basedir, "target/python-runtime/verify-archive/${id}/verify-report.json")

// 2. The real archive passes on its own, nothing built or packed again, checksum checked against what is beside it.
assert runs[1] =~ /verify ${java.util.regex.Pattern.quote(name)}: \d+ passed, 0 failed/
assert !runs[1].contains('configure done') && !runs[1].contains('packed ')
assert runs[1] =~ /(?m)PASS +archive-sha256 /
// Not this build's own archive: its programs ran only in the sandbox.
assert runs[1] =~ /(?m)PASS +sandbox .*: bubblewrap on host debian-12\/amd64: no network/

// 3. The bomb: the unpack check failed at the per-file limit, in 256 MiB of heap, with the report written.
assert runs[2] =~ /(?m)FAIL +unpack .*refusing entry 'lib\.so': it unpacks to more than 256 MiB/
assert runs[2] =~ /(?m)SKIPPED +archive-sha256 .*neither .*\.sha256 nor .*\.json is beside it/
assert runs[2].contains("report: ${report}")
// 4. The sparse entry: refused before a byte is written.
assert runs[3] =~ /(?m)FAIL +unpack .*refusing entry 'holes': a sparse file/
def checks = new JsonSlurper().parse(report).checks
assert checks.find { it.id == "unpack" }.status == "FAIL"
assert !new File(basedir, "target/python-runtime/verify-archive/${id}/verify/holes").exists()
// 5. Not a target's archive: the names it could have had (the error follows the failed build's last line).
assert runs[5].contains("python-runtime.archive: python-9.9.9-debian-12-amd64.tar.zst is no archive name of the " +
        "targets of python.yaml (")
assert runs[5] =~ /is no archive name of the targets of python\.yaml \([^)]*${java.util.regex.Pattern.quote(name)}/
// 6. In the lifecycle: resolve-flags, compile and package plan, build and pack nothing; the NUL is named, the report
// written.
assert runs[5].contains('python-runtime.archive names an archive to verify on its own: nothing to plan')
assert runs[5].contains('python-runtime.archive names an archive to verify on its own: nothing to compile')
assert runs[5].contains('python-runtime.archive names an archive to verify on its own: nothing to pack')
assert !runs[5].contains('configure done') && !runs[5].contains('packed ')
assert runs[5] =~ /(?m)FAIL +unpack .*refusing entry 'python\/d{100}\/a<U\+0000>b': the character U\+0000 \(a NUL\)/
assert new JsonSlurper().parse(report).checks.find { it.id == "unpack" }.status == "FAIL"
// 7. Deploy refuses the parameter before it opens the repository.
assert runs[7].contains('python-runtime.archive names an archive to verify on its own, and deploy publishes only ' +
        'the archives this project built and verified')
assert !new File('/nonexistent/never-written').exists()
return true
