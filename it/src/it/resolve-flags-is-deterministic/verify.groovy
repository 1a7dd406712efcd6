// Two resolve-flags runs over the same manifest write byte-identical plans, and each plan's fingerprint is the
// SHA-256 its documentation describes (the canonical JSON without the fingerprint, the build directory as ${buildDir}).
import groovy.json.JsonSlurper
import java.security.MessageDigest

File log = new File(basedir, 'build.log')
assert log.isFile()
List<String> lines = log.readLines()

String hostArch = ['dpkg', '--print-architecture'].execute().text.trim()
List<String> planned = ['3.13.5', '3.11.2'].collect { "${it}-debian-12-${hostArch}".toString() }

// Both runs happened: run 2 copied run 1's plans away, deleted them and planned from scratch.
assert lines.count { it == '[INFO] Targets: 2 planned, 2 skipped, 4 excluded' } == 2
assert lines.any { it ==~ /\[INFO\] Copying 2 resources? from .*python-runtime to .*first-run/ }: 'run 1 plans were not kept'
assert lines.any { it ==~ /\[INFO\] Deleting .*python-runtime.*/ }: 'run 1 plans were not removed before run 2'
planned.each { id ->
    assert lines.count { it.startsWith('[INFO]   -> ') && it.endsWith("/python-runtime/${id}/plan.json") } == 2
}

File first = new File(basedir, 'target/first-run')
File second = new File(basedir, 'target/python-runtime')
assert first.list().toList().toSorted() == planned.toSorted()
assert second.list().toList().toSorted() == planned.toSorted()

String sha256(byte[] bytes) { MessageDigest.getInstance('SHA-256').digest(bytes).encodeHex().toString() }

List<String> fingerprints = []
planned.each { id ->
    // Nothing but the plan is left in the target directory (no temporary file of the atomic write).
    assert new File(first, id).list().toList() == ['plan.json']
    assert new File(second, id).list().toList() == ['plan.json']

    byte[] a = new File(first, "${id}/plan.json").bytes
    byte[] b = new File(second, "${id}/plan.json").bytes
    assert a.length > 0
    assert Arrays.equals(a, b): "${id}: plan.json differs between the two runs:\n--- run 1\n${new String(a, 'UTF-8')}\n--- run 2\n${new String(b, 'UTF-8')}"

    String text = new String(b, 'UTF-8')
    def plan = new JsonSlurper().parseText(text)
    assert plan.target.id == id
    assert plan.profiles == ['quick']
    assert plan.fingerprint ==~ /[0-9a-f]{64}/
    String canonical = text.replace("\"fingerprint\" : \"${plan.fingerprint}\"", '"fingerprint" : null')
    assert canonical != text
    canonical = canonical.replace(plan.buildDir as String, '${buildDir}')
    // What verify requires is not an input of the build: the fingerprint's JSON leaves it out.
    assert plan.verifyModules*.value.contains('ssl')
    canonical = canonical.replaceFirst(/(?s)  "verifyModules" : \[.*?\],\n(?=  "cleanup")/, '')
    assert !canonical.contains('verifyModules')
    assert sha256(canonical.getBytes('UTF-8')) == plan.fingerprint: "${id}: the fingerprint is not the SHA-256 of the canonical plan"
    fingerprints << plan.fingerprint

    // The maps and lists that could come out in any order come out in manifest order.
    assert plan.make.keySet().toList() == (id.startsWith('3.13.5') ? ['PROFILE_TASK', 'EXTRA_MAKE_NOTE'] : ['PROFILE_TASK'])
    assert plan.cleanup == ['**/__pycache__/', '**/libpython*.a', '**/test/', '**/tests/']
    assert plan.environment.maintOptions == 'hardening=+all'
    assert plan.environment.features.keySet().toList() == plan.environment.features.keySet().toList().toSorted()
}
// Different targets are different inputs.
assert fingerprints.unique(false).size() == planned.size()
return true
