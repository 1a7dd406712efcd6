// python-runtime.skip=true: the goal says it skips, plans nothing and writes nothing, though this machine could plan.
File log = new File(basedir, 'build.log')
assert log.isFile()
List<String> lines = log.readLines()

int goal = lines.findIndexOf { it.startsWith('[INFO] --- python-runtime-maven-plugin:') && it.contains(':resolve-flags (default-cli)') }
assert goal >= 0: 'the goal did not run'
// The goal's only output is the skip line.
assert lines[goal + 1] == '[INFO] Skipping (python-runtime.skip=true)'
assert lines[goal + 2] ==~ /\[INFO\] -{72}/
assert lines.any { it.contains('BUILD SUCCESS') }

assert !lines.any { it.contains('Targets:') || it.contains('plan.json') || it.startsWith('[WARNING]') }
// Not even target/: nothing was written.
assert !new File(basedir, 'target').exists()
return true
