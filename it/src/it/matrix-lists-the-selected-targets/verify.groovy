import groovy.json.JsonSlurper

String log = new File(basedir, 'build.log').text
File file = new File(basedir, 'target/python-runtime/matrix.json')
def matrix = new JsonSlurper().parse(file)
def targets = matrix.include*.target
// Every selected target of the catalog (2 releases of 3.11 x 4 distros x 2 arches), in manifest order, wherever it
// can be built: each CI job runs on a runner of its arch. (Excluded targets are left out: MatrixTest.)
assert targets.size() == 16 && targets.every { it.startsWith('3.11.') }
assert targets[0] == '3.11.15-debian-12-amd64' && targets[1] == '3.11.15-debian-12-arm64'
assert targets.contains('3.11.2-ubuntu-24.04-arm64')
matrix.include.each { e ->
    assert e.target == "${e.version}-${e.distro}-${e.arch}"
    assert e.runner == [amd64: 'ubuntu-24.04', arm64: 'ubuntu-24.04-arm'][e.arch]
    // The host distro's targets run in a job container of their distro on GitHub's Ubuntu runners; container
    // targets start their build image with the runner's engine.
    assert e.container == (e.distro == 'debian-12' ? 'debian:12' : '')
}
// Printed, one line, and set as the step output.
String json = file.text.trim()
assert !json.contains('\n')
assert log.contains(json)
// 2. With -q, the JSON is the only line printed (invoker appends both runs to build.log, and adds its own lines).
// Debian's Maven 3.8.7 writes a terminal reset (ESC[0m) around its output even when it is not a terminal; 3.9 does not.
List<String> afterRun1 = log.readLines().dropWhile { !it.contains('Finished at:') }.drop(1)
assert afterRun1.collect { it.replaceAll(/\u001B\[[0-9;]*m/, '') }
        .findAll { !it.isBlank() && !it.startsWith('[INFO]') && !it.startsWith('Running post-build script') } == [json]
assert new File(basedir, 'target/github-output').text == "matrix=${json}\n"
return true
