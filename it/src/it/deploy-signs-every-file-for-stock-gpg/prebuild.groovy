// Start from the setup project's quick 3.11.2, copied into target/python-runtime.
evaluate(new File(itSources, 'shared/reuse-setup-build.groovy'))(basedir, 'target/python-runtime')

// A publisher's key, made with Debian's gpg as a team makes one: an ed25519 primary key that certifies, with a
// signing subkey, protected by a passphrase, exported ASCII-armored to the file deploy is given. And someone else's.
// gpg's homes are short paths of their own: the agent's socket lives there.
def run = evaluate(new File(itSources, 'shared/gpg.groovy'))
def gpg = { File home, List<String> args -> run(home, 'it passphrase', args) }
def fingerprint = { File home ->
    gpg(home, ['--with-colons', '--list-keys']).readLines().find { it.startsWith('fpr:') }.split(':')[9]
}
def kill = { File home -> ['gpgconf', '--homedir', home.path, '--kill', 'all'].execute().waitFor() }
File target = new File(basedir, 'target')
target.mkdirs()
File publisher = java.nio.file.Files.createTempDirectory('it-gpg').toFile()
File other = java.nio.file.Files.createTempDirectory('it-gpg').toFile()
try {
    gpg(publisher, ['--quick-gen-key', 'Runtime Releases <releases@example.org>', 'ed25519', 'cert', '1y'])
    String fpr = fingerprint(publisher)
    gpg(publisher, ['--quick-add-key', fpr, 'ed25519', 'sign', '1y'])
    new File(target, 'secret.asc').text = gpg(publisher, ['--armor', '--export-secret-keys', fpr])
    new File(target, 'publisher.fpr').text = fpr
    gpg(other, ['--quick-gen-key', 'Someone Else <else@example.org>', 'ed25519', 'sign', '1y'])
    new File(target, 'other.asc').text = gpg(other, ['--armor', '--export', fingerprint(other)])
    new File(basedir, 'consumer.properties').text = """python-runtime.archive = target/repo/python-3.11.2-debian-12-amd64.tar.zst
python-runtime.signing.publicKey = target/repo/${fpr}.asc
"""
    new File(basedir, 'other-key.properties').text = """python-runtime.archive = target/repo/python-3.11.2-debian-12-amd64.tar.zst
python-runtime.signing.publicKey = target/other.asc
"""
} finally {
    kill(publisher)
    kill(other)
    publisher.deleteDir()
    other.deleteDir()
}
return true
