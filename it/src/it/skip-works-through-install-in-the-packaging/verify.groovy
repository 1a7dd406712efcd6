String log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')
for (String goal in ['resolve-flags', 'compile', 'package', 'verify']) {
    assert log =~ /(?s):${goal} \(default-${goal}\) @ skip-works-through-install-in-the-packaging ---\n\[INFO\] Skipping \(python-runtime.skip=true\)/
}
File installed = new File(localRepositoryPath,
        'dev/pyruntime/it/skip-works-through-install-in-the-packaging/1.0/skip-works-through-install-in-the-packaging-1.0.json')
assert installed.isFile()
assert new groovy.json.JsonSlurper().parse(installed).archives == []
return true
