import groovy.json.JsonSlurper
import java.security.MessageDigest

String id = '3.11.2-debian-12-amd64'
String name = "python-${id}.tar.zst"
String log = new File(basedir, 'build.log').text
File dir = new File(basedir, 'target/s3proxy')
def sha256(File f) { MessageDigest.getInstance('SHA-256').digest(f.bytes).encodeHex().toString() }
def run(List cmd) {
    def p = new ProcessBuilder(cmd.collect { it.toString() }).redirectErrorStream(true).start()
    String text = p.inputStream.text
    assert p.waitFor() == 0 : "${cmd} failed:\n${text}"
    return text
}

try {
    String endpoint = new File(basedir, 's3.properties').readLines().find { it.contains('s3.endpoint') }.split('=')[1].trim()
    String url = "${endpoint}/runtimes/python/${name}"
    // 1. published, with its URL; 2. skipped.
    assert log.readLines().count { it.contains("${id}: published ${url}") } == 1
    assert log.readLines().count { it.contains("${id}: already published at ${url}") && it.endsWith(": not built (python-runtime.rebuildPublished=true builds it to compare)") } == 1
    assert log.readLines().count { it.contains("${id}: already published: ${url} (sha256 ") } == 1
    // 3. offline; 4. unknown server id: each refused with the fix.
    assert log.contains('Maven is offline (-o): cannot publish to s3://runtimes/python; run without -o')
    assert log.contains("python-runtime.serverId 'no-such-server': settings.xml has no <server> with that id")
    // The secret never appears.
    assert !log.contains('it-secret-key')

    File local = new File(basedir, "target/python-runtime/${name}")
    String sha = sha256(local)
    // What a consumer does: download with curl (signing, as the bucket is private) and unpack with stock tar.
    File consumer = new File(basedir, 'target/consumer')
    consumer.mkdirs()
    // (S3 wants the payload hash header with SigV4; curl 7.88 does not add it by itself.)
    List<String> curl = ['curl', '-fsS', '--aws-sigv4', 'aws:amz:us-east-1:s3', '--user', 'it-access-key:it-secret-key',
                         '-H', 'x-amz-content-sha256: UNSIGNED-PAYLOAD']
    run(['bash', '-c', 'set -o pipefail; "${@:2}" "$1" | tar --zstd -x -C "$0"', consumer.path, url] + curl)
    assert run([new File(consumer, 'bin/python3').path, '-c', 'import ssl, sqlite3; print("ok")']).trim() == 'ok'

    String sidecar = run(curl + ["${url}.sha256"])
    assert sidecar == "${sha}  ${name}\n"
    def index = new JsonSlurper().parseText(run(curl + ["${endpoint}/runtimes/python/index.json"]))
    assert index.schema == 1 && index.runtimes.size() == 1
    assert index.runtimes[0].key == name && index.runtimes[0].sha256 == sha && index.runtimes[0].size == local.length()
} finally {
    File pid = new File(dir, 'pid')
    if (pid.exists()) {
        ['kill', pid.text.trim()].execute().waitFor()
    }
}
return true
