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
}
// Printed, one line, and set as the step output.
String json = file.text.trim()
assert !json.contains('\n')
assert log.contains(json)
assert new File(basedir, 'target/github-output').text == "matrix=${json}\n"
return true
