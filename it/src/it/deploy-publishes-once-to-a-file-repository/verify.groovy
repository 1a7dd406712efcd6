import groovy.json.JsonSlurper
import java.security.MessageDigest

String id = '3.11.2-debian-12-amd64'
String name = "python-${id}.tar.zst"
File repo = new File(basedir, 'target/repo')
String log = new File(basedir, 'build.log').text
def sha256(File f) { MessageDigest.getInstance('SHA-256').digest(f.bytes).encodeHex().toString() }
def run(List<String> cmd) {
    def p = new ProcessBuilder(cmd).redirectErrorStream(true).start()
    String text = p.inputStream.text
    assert p.waitFor() == 0 : "${cmd} failed:\n${text}"
    return text
}

// 1. The dry run wrote nothing: the next run published (not "already published").
assert log.contains("${id}: dry run: would upload ${name}")
// 2. Verified, then published; 3. skipped.
assert log =~ /verify ${name}: 22 passed, 0 failed/
assert log.readLines().count { it.contains("${id}: published file:") && it.endsWith("/target/repo/${name}") } == 1
assert log.count("${id}: already published, identical: ") == 1

File archive = new File(repo, name)
String sha = sha256(archive)
assert sha == sha256(new File(basedir, "target/python-runtime/${name}"))
assert new File(repo, "${name}.sha256").text == "${sha}  ${name}\n"
assert new JsonSlurper().parse(new File(repo, "python-${id}.json")).sha256 == sha
def index = new JsonSlurper().parse(new File(repo, 'index.json'))
assert index.schema == 1 && index.runtimes.size() == 1
def entry = index.runtimes[0]
assert entry.key == name && entry.sha256 == sha && entry.size == archive.length()
assert entry.version == '3.11.2' && entry.distro == 'debian-12' && entry.distroVersion == '12' && entry.arch == 'amd64'
assert entry.publishedAt =~ /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/ && entry.planFingerprint
assert repo.list().findAll { it.endsWith('.part') } == []

// A consumer: unpack the published archive with stock tar, run the interpreter.
File consumer = new File(basedir, 'target/consumer')
consumer.mkdirs()
run(['tar', '--zstd', '-x', '-f', archive.path, '-C', consumer.path])
assert run([new File(consumer, 'bin/python3').path, '-c', 'import ssl, sqlite3; print("ok")']).trim() == 'ok'
return true
