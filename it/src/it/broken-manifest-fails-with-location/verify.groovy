// A broken manifest fails the build with all of its mistakes at once, each as python.yaml:LINE:COL: key.path: message,
// without a stack trace, and nothing is planned.
File log = new File(basedir, 'build.log')
assert log.isFile()
List<String> lines = log.readLines()
List<String> manifest = new File(basedir, 'python.yaml').readLines()

/** python.yaml:LINE:COL of the first occurrence of text in the manifest (1-based, as editors count). */
String at(List<String> manifest, String text) {
    int i = manifest.findIndexOf { it.contains(text) }
    assert i >= 0: "'${text}' is not in python.yaml"
    return "python.yaml:${i + 1}:${manifest[i].indexOf(text) + 1}"
}

String shortSha = '93e583f243454e6e9e4588ca2c2662206ad961659863277afcdb96801647d64'
String badSha = '2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981bo29513aefdbf849'
assert shortSha.length() == 63 && badSha.length() == 64

List<String> expected = [
    "${at(manifest, 'cflag:')}: build.flags.cflag: unknown key 'cflag'; did you mean 'cflags'? (allowed here: from, maintOptions, cflags, cppflags, ldflags, accept)",
    "${at(manifest, shortSha)}: versions[0].sha256: a sha256 is 64 hex digits, found '${shortSha}' (63 characters)",
    "${at(manifest, badSha)}: versions[1].sha256: a sha256 is 64 hex digits, found '${badSha}' ('o' at character 50 is not a hex digit)",
]*.toString()
// The locations are where the mistakes are.
assert expected[0].startsWith('python.yaml:17:5: ')
assert expected[1].startsWith('python.yaml:21:60: ')
assert expected[2].startsWith('python.yaml:25:13: ')

// One failure that names the manifest and counts its errors, then each error on a line of its own, in file order.
int head = lines.findIndexOf {
    it.startsWith('[ERROR] Failed to execute goal dev.pyruntime:python-runtime-maven-plugin:') &&
            it.endsWith("/broken-manifest-fails-with-location/python.yaml has 3 errors:")
}
assert head >= 0: 'no failure line naming the manifest and its 3 errors'
assert lines.subList(head + 1, head + 4) == expected.collect { "[ERROR]   ${it}".toString() }
assert lines[head + 4] == '[ERROR] -> [Help 1]'
assert lines.count { it.contains('has 3 errors') } == 1

// A user mistake is not a crash: no stack trace, no exception class names.
assert !lines.any { it.startsWith('\tat ') || it ==~ /\s+at [\w.$<>]+ ?\(.*\).*/ }: 'the log holds a stack trace'
assert !lines.any { it.contains('at dev.pyruntime') || it.startsWith('Caused by:') || it.contains('Exception:') }
assert lines.any { it == '[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.' }
assert lines.any { it.contains('BUILD FAILURE') }

// 2. A misnamed manifest fails, naming the path that is not there and how it was named.
String misnamed = new File(basedir, 'pyhton.yaml').canonicalPath
assert lines.any { it.contains("No manifest at ${misnamed} (named by -Dpython-runtime.manifest=pyhton.yaml") } : 'no error for the misnamed manifest'
assert !lines.any { it.contains('nothing to do') }

// Nothing was planned.
assert !new File(basedir, 'target/python-runtime').exists()
assert !lines.any { it.contains('plan.json') || it.contains('Targets:') }
return true
