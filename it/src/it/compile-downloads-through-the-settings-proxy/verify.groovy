import java.security.MessageDigest

File dir = new File(basedir, 'target/servers')
try {
    String url = new File(dir, 'url').text
    String log = new File(basedir, 'build.log').text
    // The download reached the server through the proxy: tinyproxy forwarded exactly that request.
    List<String> forwarded = new File(dir, 'tinyproxy.log').readLines().findAll { it.contains('Request (file descriptor') }
    assert forwarded.size() == 1 && forwarded[0].endsWith(": GET ${url} HTTP/1.1") : forwarded
    // And the build saw the bytes the server holds (the pinned sha256 is wrong on purpose).
    String served = MessageDigest.getInstance('SHA-256').digest('not the real tarball'.bytes).encodeHex().toString()
    assert log.contains(url) && log.contains(served)
    assert log.contains('BUILD FAILURE')
} finally {
    for (String name in ['www', 'tinyproxy']) {
        File pid = new File(dir, "${name}.pid")
        if (pid.exists()) {
            ['kill', pid.text.trim()].execute().waitFor()
        }
    }
}
return true
