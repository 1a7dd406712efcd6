import groovy.json.JsonSlurper
import java.security.MessageDigest

String id = '3.11.2-debian-12-amd64'
String name = "python-${id}.tar.zst"
File repo = new File(basedir, 'target/repo')
String log = new File(basedir, 'build.log').text
// One part per invocation (invoker.properties), in order.
List<String> runs = log.split(/(?m)^\[INFO\] BUILD SUCCESS$/) as List
assert runs.size() == 11 : "expected 10 successful invocations, found ${runs.size() - 1}"
def sha256(File f) { MessageDigest.getInstance('SHA-256').digest(f.bytes).encodeHex().toString() }
def run(List<String> cmd, File dir = null) {
    def p = new ProcessBuilder(cmd.collect { it.toString() }).directory(dir).redirectErrorStream(true).start()
    String text = p.inputStream.text
    assert p.waitFor() == 0 : "${cmd} failed:\n${text}"
    return text
}
File archive = new File(repo, name)
String sha = sha256(archive)
String notBuilt = "${id}: already published at ${archive.toPath().toUri()} (sha256 ${sha}): not built"

// 1. The dry run wrote nothing: the next run published (not "already published").
assert runs[0].contains("${id}: dry run: would upload ${name}")
// 2. Verified, then published.
assert runs[1] =~ /verify ${name}: 28 passed, 0 failed/
assert runs[1].readLines().count { it.contains("${id}: published file:") && it.endsWith("/target/repo/${name}") } == 1
// 3. Asked first: nothing built, nothing to complete.
assert runs[2].contains(notBuilt) && runs[2].contains("${id}: already published: ${archive.toPath().toUri()} (sha256 ${sha})")
assert !runs[2].contains("verify ${name}")
// 4. A fresh runner with another outputTimestamp: the same, and nothing compiled, packed or verified.
assert runs[3].contains(notBuilt) && runs[3].contains("${id}: already published: ")
assert runs[3].contains("Deploy to file:${repo}: 1 already published")
for (String step in ['configure done', 'make done', 'packed', "verify ${name}"]) {
    assert !runs[3].contains(step) : "the re-run did '${step}'"
}
assert !new File(basedir, "target/fresh-runner/${id}/staging").exists() && !new File(basedir, "target/fresh-runner/${name}").exists()
// 6. Completed from the published bytes, without a build: checksum and entries; the metadata needs an identical build.
assert runs[5].contains(notBuilt)
assert runs[5].contains("${id}: already published: ${archive.toPath().toUri()} (sha256 ${sha}); completed: ${name}.sha256, " +
        "index.d/${name}.json, its entry in index.json")
// The SBOM, provenance and metadata come only from the build that made the archive (the clean removed every *.json).
String onlyFromOurs = / \(it comes only from a build whose archive is byte-identical to the published one, and this deploy built none: deploy again with -Dpython-runtime\.rebuildPublished=true to build it and compare\)/
assert runs[5] =~ /(?m)^\[WARNING\] ${id}: still missing beside .*: python-${id}\.cdx\.json${onlyFromOurs}; python-${id}\.json${onlyFromOurs}; python-${id}\.intoto\.json${onlyFromOurs}$/
assert runs[5].contains('1 completed; 1 still incomplete')
// Not uploaded by that deploy: downloaded and verified, its programs in the sandbox, before anything was written
// (archive-sha256 is skipped: a download has no .sha256 or metadata beside it).
assert runs[5].contains("${id}: ${archive.toPath().toUri()} is published (sha256 ${sha}) but not by this deploy: " +
        "verifying its bytes before completing it")
// (symbols and symbols-gdb are skipped too: only the runtime archive was downloaded).
assert runs[5] =~ /verify ${name}: 24 passed, 0 failed, 6 skipped/
assert runs[5] =~ /(?m)PASS +sandbox /
// 7. Beside the byte-identical archive of run 2, its metadata completes it.
// The symbols archive's .sha256 too, which the metadata names (the archive itself stayed published).
assert runs[6].contains("${id}: already published: ${archive.toPath().toUri()} (sha256 ${sha}); completed: " +
        "python-${id}.dbgsym.tar.zst.sha256, python-${id}.cdx.json, python-${id}.json, python-${id}.intoto.json")

// 8. The planted archive: verified, refused, never run; nothing written beside it.
File plantedRepo = new File(basedir, 'target/planted-repo')
String plantedSha = sha256(new File(plantedRepo, name))
assert runs[7].contains("${id}: ${new File(plantedRepo, name).toPath().toUri()} holds an archive with sha256 " +
        "${plantedSha} that this deploy did not upload and that does not pass verify, so nothing was written beside it")
assert runs[7] =~ /(?m)FAIL +interpreter .*bin\/python3 is not an ELF file \(it is a script\)/
assert runs[7] =~ /(?m)SKIPPED +version +version: not run: /
assert !new File(basedir, 'target/planted-ran').exists() : 'the planted script ran'
assert plantedRepo.list() as Set == [name] as Set : "written beside the planted archive: ${plantedRepo.list()}"

// 9. -Dmaven.deploy.skip=true: nothing built for deploy, nothing published.
assert runs[7].contains('Publishing nothing (maven.deploy.skip=true)')
assert !new File(basedir, 'target/never-written').exists()

// What a consumer checks: the published checksum, with sha256sum.
assert run(['sha256sum', '-c', "${name}.sha256"], repo).trim() == "${name}: OK"
assert sha == sha256(new File(basedir, "target/python-runtime/${name}"))
assert new File(repo, "python-${id}.json").bytes == new File(basedir, "target/python-runtime/python-${id}.json").bytes
assert new JsonSlurper().parse(new File(repo, "python-${id}.json")).sha256 == sha
def index = new JsonSlurper().parse(new File(repo, 'index.json'))
assert index.schema == 1 && index.runtimes.size() == 1
def entry = index.runtimes[0]
assert entry.key == name && entry.sha256 == sha && entry.size == archive.length()
assert entry.version == '3.11.2' && entry.distro == 'debian-12' && entry.distroVersion == '12' && entry.arch == 'amd64'
assert entry.publishedAt =~ /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/
// Completed before the metadata was there: the plan's fingerprint is not known to it.
assert entry.planFingerprint == null
assert new JsonSlurper().parse(new File(repo, "index.d/${name}.json")) == entry
assert repo.list().findAll { it.endsWith('.part') } == []

// 10, 11. The CI matrix asks the repository's index: a published target costs no job, unless rebuildPublished.
assert runs[8].contains("${id}: already published at ${archive.toPath().toUri()} (sha256 ${sha}): no job " +
        "(python-runtime.rebuildPublished=true gives it one)")
assert runs[8].contains('Matrix: 1 of 1 selected target already published in ')
assert runs[8].contains('{"include":[]}')
assert runs[9].contains("${id}: already published at ${archive.toPath().toUri()} (sha256 ${sha}): a job anyway, " +
        "to build it again and compare (python-runtime.rebuildPublished=true)")
assert runs[9].contains("{\"include\":[{\"target\":\"${id}\"")

// A consumer: unpack the published archive with stock tar, run the interpreter.
File consumer = new File(basedir, 'target/consumer')
consumer.mkdirs()
run(['tar', '--zstd', '-x', '-f', archive.path, '-C', consumer.path])
assert run([new File(consumer, 'bin/python3').path, '-c', 'import ssl, sqlite3; print("ok")']).trim() == 'ok'
return true
