String id = '3.11.2-debian-12-amd64'
String name = "python-${id}.tar.zst"
String log = new File(basedir, 'build.log').text

// Every goal ran once, in lifecycle order, from the parent's execution.
List<Integer> at = ['resolve-flags', 'compile', 'package', 'verify', 'deploy'].collect { goal ->
    def m = log =~ /:${goal} \(python-runtime\) @ lifecycle-parent-pom-runs-every-goal/
    assert m.size() == 1 : "${goal} ran ${m.size()} times"
    log.indexOf(m[0])
}
assert at == at.sort(false)
// The parent skips maven-deploy-plugin: the project publishes runtimes, not itself.
assert log.contains('Skipping artifact deployment')
assert log =~ /verify ${name}: \d+ passed, 0 failed/
assert log.contains("${id}: published file:")
assert new File(basedir, "target/repo/${name}").isFile() && new File(basedir, 'target/repo/index.json').isFile()
return true
