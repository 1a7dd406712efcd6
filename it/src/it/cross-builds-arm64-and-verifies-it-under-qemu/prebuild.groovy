// The setup project's manifest (the quick 3.11.2 it built), with arm64 among the arches and a cross set-up for it.
String setup = new File(basedir, '../compile-builds-a-relocatable-python/python.yaml').text
assert setup.contains('arches: [ amd64 ]')
assert setup.contains('    executor: host\n')
// A run image too: verify says why an arm64 runtime does not run in it.
new File(basedir, 'python.yaml').text = setup.replace('arches: [ amd64 ]',
        'arches: [ amd64, arm64 ]\ncross:\n  arm64: { from: amd64, matrix: native }')
        .replace('    executor: host\n', '    executor: host\n    runImage: "python-runtime/debian-12-run"\n')
File buildPython = new File(basedir, '../compile-builds-a-relocatable-python/target/python-runtime/3.11.2-debian-12-amd64/staging/bin/python3.11')
assert buildPython.canExecute() : "the setup project's 3.11.2 is not at ${buildPython}"
return true
