List<String> lines = new File(basedir, 'build.log').readLines()
assert lines.any { it.contains('BUILD FAILURE') }
int at = lines.findIndexOf { it.startsWith('[ERROR] Failed to execute goal dev.pyruntime:python-runtime-maven-plugin:') }
assert at >= 0
assert lines[at].endsWith(": -Dpython-runtime.target: no goal of python-runtime reads 'python-runtime.target'; "
        + "did you mean 'python-runtime.targets'?")
assert lines[at + 1] == '[ERROR] A misspelt property would be ignored, and the build would run without it: fix the name.'
assert lines[at + 2] == '[ERROR] -> [Help 1]'
assert !lines.any { it.startsWith('\tat ') }: 'the log holds a stack trace'
assert !lines.any { it.contains('Targets:') || it.contains('plan.json') }
assert !new File(basedir, 'target').exists()
return true
