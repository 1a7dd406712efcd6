String id = '3.11.2-debian-12-amd64'
String name = "python-${id}.tar.zst"
String log = new File(basedir, 'build.log').text

// Every goal ran once, in lifecycle order, from the packaging's own bindings (default-<goal> executions).
List<Integer> at = ['resolve-flags', 'compile', 'package', 'verify'].collect { goal ->
    def m = log =~ /:${goal} \(default-${goal}\) @ lifecycle-packaging-runs-every-goal/
    assert m.size() == 1 : "${goal} ran ${m.size()} times"
    log.indexOf(m[0])
}
int install = log.indexOf(':install (default-install) @ lifecycle-packaging-runs-every-goal')
int deploy = log.indexOf(':deploy (default-deploy) @ lifecycle-packaging-runs-every-goal')
assert install > 0 && deploy > 0
assert at == at.sort(false) && at[-1] < install && install < deploy

// install carried the main artifact (archives.json) and the attached archive.
File installed = new File(localRepositoryPath, 'dev/pyruntime/it/lifecycle-packaging-runs-every-goal/1.0')
File list = new File(installed, 'lifecycle-packaging-runs-every-goal-1.0.json')
assert list.isFile() && list.text.contains("\"archive\" : \"${name}\"")
assert new File(installed, "lifecycle-packaging-runs-every-goal-1.0-${id}.tar.zst").length() ==
        new File(basedir, "target/python-runtime/${name}").length()

// deploy published it.
assert log.contains("${id}: published file:")
assert new File(basedir, "target/repo/${name}").isFile() && new File(basedir, 'target/repo/index.json').isFile()
return true
