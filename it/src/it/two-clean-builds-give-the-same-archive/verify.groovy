import java.security.MessageDigest

String id = '3.11.2-debian-12-amd64'
String name = "python-${id}.tar.zst"
String log = new File(basedir, 'build.log').text
def sha256(File f) { MessageDigest.getInstance('SHA-256').digest(f.bytes).encodeHex().toString() }

// target/a was up to date; target/b was configured and built from nothing.
assert log.count("${id}: configure ...") == 1
assert log.count("${id}: up to date") == 1
File a = new File(basedir, "target/a/${name}")
File b = new File(basedir, "target/b/${name}")
assert a.isFile() && b.isFile()
if (sha256(a) != sha256(b)) {
    // Say which files differ, to make a regression easy to chase.
    def p = ['bash', '-c', "diff <(tar --zstd -tvf '${a}') <(tar --zstd -tvf '${b}') | head -40; " +
            "mkdir -p target/ua target/ub && tar --zstd -xf '${a}' -C target/ua && tar --zstd -xf '${b}' -C target/ub && " +
            "diff -rq target/ua target/ub | head -40"].execute(null, basedir)
    assert false : "two clean builds gave different archives:\n${p.text}"
}
// The symbols archive beside it too (the setup manifest separates the debug files).
String symbols = "python-${id}.dbgsym.tar.zst"
assert sha256(new File(basedir, "target/a/${symbols}")) == sha256(new File(basedir, "target/b/${symbols}")) :
        'two clean builds gave different symbols archives'
return true
