// A python-runtime.profile the manifest does not have fails the build with a did-you-mean and the profiles there
// are, before anything is planned.
File log = new File(basedir, 'build.log')
assert log.isFile()
List<String> lines = log.readLines()

List<String> failures = lines.findAll { it.startsWith('[ERROR] Failed to execute goal dev.pyruntime:python-runtime-maven-plugin:') }
assert failures.size() == 1
assert failures[0].endsWith(": python-runtime.profile: no profile 'quik' in python.yaml; did you mean 'quick'? "
        + '(profiles: quick, release) -> [Help 1]')
assert lines.any { it.contains('BUILD FAILURE') }
assert !lines.any { it.startsWith('\tat ') || it ==~ /\s+at [\w.$<>]+ ?\(.*\).*/ }: 'the log holds a stack trace'

assert !lines.any { it.contains('Targets:') || it.contains('plan.json') }
assert !new File(basedir, 'target/python-runtime').exists()
return true
