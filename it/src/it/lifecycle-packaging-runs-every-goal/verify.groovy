String id = '3.11.2-debian-12-amd64'
String name = "python-${id}.tar.zst"
String log = new File(basedir, 'build.log').text
List<String> runs = log.split(/(?m)^\[INFO\] BUILD SUCCESS$/) as List
assert runs.size() == 3 : "expected 2 successful invocations, found ${runs.size() - 1}"
String first = runs[0]
String again = runs[1]

// Every goal ran once, in lifecycle order, from the packaging's own bindings (default-<goal> executions).
for (String part in [first, again]) {
    List<Integer> at = ['resolve-flags', 'compile', 'package', 'verify', 'install', 'deploy'].collect { goal ->
        def m = part =~ /:${goal} \(default-${goal}\) @ lifecycle-packaging-runs-every-goal/
        assert m.size() == 1 : "${goal} ran ${m.size()} times"
        part.indexOf(m[0])
    }
    assert at == at.sort(false)
}

// install carried the main artifact (archives.json) and the attached archive.
File installed = new File(localRepositoryPath, 'dev/pyruntime/it/lifecycle-packaging-runs-every-goal/1.0')
assert new File(basedir, 'target/python-runtime/archives.json').text.contains("\"archive\" : \"${name}\"")
assert new File(installed, "lifecycle-packaging-runs-every-goal-1.0-${id}.tar.zst").length() ==
        new File(basedir, "target/python-runtime/${name}").length()

// deploy published it.
assert first.contains("${id}: published file:")
File repo = new File(basedir, 'target/repo')
assert new File(repo, name).isFile() && new File(repo, 'index.json').isFile()

// The second run: compile (the first goal that builds) asked the repository, and nothing was built after it.
int asked = again.indexOf("${id}: already published at ${new File(repo, name).toPath().toUri()}")
assert asked > 0 && asked > again.indexOf(':compile (default-compile)') && asked < again.indexOf(':package (default-package)')
for (String step in ['configure done', 'make done', 'packed', "verify ${name}"]) {
    assert !again.contains(step) : "the second run did '${step}'"
}
assert again.contains("${id}: already published: ")
assert !new File(basedir, "target/fresh-runner/${id}/staging").exists()
// What this build packed, installed as the main artifact: nothing.
assert new File(installed, 'lifecycle-packaging-runs-every-goal-1.0.json').text.contains('"archives" : [ ]')
return true
