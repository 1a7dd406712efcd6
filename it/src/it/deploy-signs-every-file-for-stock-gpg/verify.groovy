import groovy.json.JsonSlurper
import java.security.MessageDigest

String id = '3.11.2-debian-12-amd64'
String name = "python-${id}.tar.zst"
String base = "python-${id}"
File repo = new File(basedir, 'target/repo')
String fpr = new File(basedir, 'target/publisher.fpr').text.trim()
String log = new File(basedir, 'build.log').text
// One part per invocation (invoker.properties), in order: each starts with Maven's first line (a failing one's
// errors come after its BUILD FAILURE).
List<String> runs = (log.split(/\[INFO\] Scanning for projects\.\.\./) as List).drop(1)
assert runs.size() == 5 : "expected 5 invocations, found ${runs.size()}"
def sha256(File f) { MessageDigest.getInstance('SHA-256').digest(f.bytes).encodeHex().toString() }
def run(List<String> cmd, File dir = null, int expected = 0) {
    def p = new ProcessBuilder(cmd.collect { it.toString() }).directory(dir).redirectErrorStream(true).start()
    String text = p.inputStream.text
    int exit = p.waitFor()
    assert expected < 0 ? exit != 0 : exit == expected : "${cmd} exited ${exit}:\n${text}"
    return text
}

// 1. Required without a key: refused before anything was compiled or published.
assert runs[0].contains('Signing is required (python-runtime.signing.required=true), and deploy has no signing key: ' +
        'put an ASCII-armored secret key in MAVEN_GPG_KEY')
for (step in ['packed', "verify ${name}", 'published']) {
    assert !runs[0].contains(step) : "run 1 did '${step}' without a key"
}
// 2. Signed with the key file's signing subkey, after verify (the SBOM and provenance included).
assert runs[1] =~ /deploy signs with [0-9A-F]{40} \(a subkey of ${fpr}\)/
assert runs[1] =~ /(?m)PASS +supply-chain .*${base}\.cdx\.json \(CycloneDX 1\.6\) and ${base}\.intoto\.json name sha256/
assert runs[1].contains("${id}: published ${new File(repo, name).toPath().toUri()}")
// 3. Unsigned into a repository of signed runtimes: refused before anything was built.
assert runs[2].contains("deploy publishes unsigned: no signing key")
assert runs[2].contains("index.json lists runtimes signed by ${fpr} (${name}), and this deploy has no signing key")
assert !runs[2].contains("verify ${name}")
// 4. verify with the publisher's key from the repository's root: a good signature.
assert runs[3] =~ /(?m)PASS +signature +.*good signature by [0-9A-F]{40} \(key ${fpr}\)/
// 5. verify with someone else's key: not theirs.
assert runs[4] =~ /(?m)FAIL +signature +.*${java.util.regex.Pattern.quote(name)}\.asc made by key [0-9A-F]{16}, not by [0-9A-F]{40}/

// What a consumer does with stock tools: import the key published at the root, check every signature.
File home = java.nio.file.Files.createTempDirectory('it-gpg').toFile()
try {
    def gpg = { List<String> args, int expected = 0 -> run(['gpg', '--homedir', home.path, '--batch'] + args, repo, expected) }
    gpg(['--import', "${fpr}.asc"])
    def index = new JsonSlurper().parse(new File(repo, 'index.json'))
    def entry = index.runtimes.find { it.key == name }
    assert entry.signingKey == fpr
    List<String> files = entry.files.keySet() as List
    assert files == [name, "${name}.asc", "${name}.sha256", "${name}.sha256.asc", "${base}.cdx.json", "${base}.cdx.json.asc",
                     "${base}.intoto.json", "${base}.intoto.json.asc", "${base}.json", "${base}.json.asc",
                     "${base}.dbgsym.tar.zst", "${base}.dbgsym.tar.zst.asc", "${base}.dbgsym.tar.zst.sha256",
                     "${base}.dbgsym.tar.zst.sha256.asc"].sort()
    for (String f in files.findAll { it.endsWith('.asc') } + ["index.d/${name}.json.asc"]) {
        assert gpg(['--verify', f, f[0..-5]]).contains('Good signature from "Runtime Releases <releases@example.org>"')
    }
    // The files that change carry their signature inside: verified whole, and gpg gives back their text.
    // As the README shows it: the verified text out of SHA256SUMS.asc, then sha256sum on it.
    File verified = new File(basedir, 'target/SHA256SUMS.verified')
    gpg(['--verify', 'SHA256SUMS.asc'])
    gpg(['--output', verified.path, '--decrypt', 'SHA256SUMS.asc'])
    assert verified.text == new File(repo, 'SHA256SUMS').text
    assert run(['sha256sum', '--strict', '-c', verified.path], repo).readLines().count { it.endsWith(': OK') } == 14
    File index2 = new File(basedir, 'target/index.json.verified')
    gpg(['--verify', 'index.json.asc'])
    gpg(['--output', index2.path, '--decrypt', 'index.json.asc'])
    assert new JsonSlurper().parse(index2).runtimes*.key == [name]
    assert run(['sha256sum', '--strict', '-c', 'SHA256SUMS'], repo).readLines().count { it.endsWith(': OK') } == 14

    // A consumer with a core dump: the published runtime and, beside it, its symbols archive, unpacked with stock tar;
    // gdb finds libpython's debug file by build-id and names a function's source line.
    File runtime = new File(basedir, 'target/consumer-runtime')
    File symbols = new File(basedir, 'target/consumer-symbols')
    runtime.mkdirs()
    symbols.mkdirs()
    run(['tar', '--zstd', '-xf', new File(repo, name).path, '-C', runtime.path])
    run(['tar', '--zstd', '-xf', new File(repo, "${base}.dbgsym.tar.zst").path, '-C', symbols.path])
    String gdb = run(['gdb', '-nx', '-batch', '-iex', "set debug-file-directory ${symbols.path}", '-ex',
                      'info line Py_BytesMain', new File(runtime, 'lib/libpython3.11.so.1.0').path])
    assert gdb =~ /Line \d+ of "Modules\/main\.c" starts at address/ : gdb
    assert !(run(['gdb', '-nx', '-batch', '-ex', 'info line Py_BytesMain',
                  new File(runtime, 'lib/libpython3.11.so.1.0').path]) =~ /Line \d+ of/) : 'the shipped libpython is not stripped'

    // One byte of the archive changed: gpg says BAD signature, sha256sum fails.
    File tampered = new File(basedir, 'target/tampered')
    tampered.mkdirs()
    byte[] bytes = new File(repo, name).bytes
    bytes[1000] ^= 1
    new File(tampered, name).bytes = bytes
    new File(tampered, "${name}.asc").bytes = new File(repo, "${name}.asc").bytes
    assert run(['gpg', '--homedir', home.path, '--batch', '--verify', "${name}.asc", name], tampered, -1)
            .contains('BAD signature')
} finally {
    ['gpgconf', '--homedir', home.path, '--kill', 'all'].execute().waitFor()
    home.deleteDir()
}

// The SBOM names libssl3 at the version dpkg-query reports here, and CPython with its source.
def sbom = new JsonSlurper().parse(new File(repo, "${base}.cdx.json"))
assert sbom.bomFormat == 'CycloneDX' && sbom.specVersion == '1.6'
// One line per installed arch on a multiarch host; a Multi-Arch: same package has one version across them.
String ssl = run(['dpkg-query', '-W', '-f=${Version}\n', 'libssl3']).readLines()[0].trim()
def libssl = sbom.components.find { it.name == 'libssl3' }
assert libssl.version == ssl && libssl.purl.startsWith('pkg:deb/debian/libssl3@') && libssl.purl.contains('arch=amd64')
def cpython = sbom.components.find { it.name == 'cpython' }
assert cpython.version == '3.11.2' && cpython.licenses[0].license.id == 'PSF-2.0'
assert cpython.hashes[0].content == '2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849'
assert sbom.components.find { it.name == 'mpdecimal' }?.version == '2.5.1'
assert sbom.metadata.tools.components*.name.containsAll(['gcc', 'binutils', 'glibc', 'dpkg-dev'])
// The provenance's subjects are the archive and its symbols archive, the same build's; its byproducts are the
// metadata and SBOM published beside it.
def statement = new JsonSlurper().parse(new File(repo, "${base}.intoto.json"))
assert statement._type == 'https://in-toto.io/Statement/v1' && statement.predicateType == 'https://slsa.dev/provenance/v1'
assert statement.subject == [[name: name, digest: [sha256: sha256(new File(repo, name))]],
                             [name: "${base}.dbgsym.tar.zst", digest: [sha256: sha256(new File(repo, "${base}.dbgsym.tar.zst"))]]]
assert statement.predicate.runDetails.byproducts.collect { it.digest.sha256 } ==
        [sha256(new File(repo, "${base}.json")), sha256(new File(repo, "${base}.cdx.json"))]
return true
