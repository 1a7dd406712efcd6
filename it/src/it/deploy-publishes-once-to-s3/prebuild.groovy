// Start from the setup project's quick 3.11.2, copied into target/python-runtime.
evaluate(new File(itSources, 'shared/reuse-setup-build.groovy'))(basedir, 'target/python-runtime')

// A real S3 server on 127.0.0.1: s3proxy with its filesystem backend and authentication on. It is killed by
// verify.groovy; `timeout` ends it anyway should the build die first.
File dir = new File(basedir, 'target/s3proxy')
new File(dir, 'data/runtimes').mkdirs()
int port = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()).withCloseable { it.localPort }
File conf = new File(dir, 's3proxy.conf')
conf.text = """s3proxy.endpoint=http://127.0.0.1:${port}
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=it-access-key
s3proxy.credential=it-secret-key
jclouds.provider=filesystem
jclouds.filesystem.basedir=${new File(dir, 'data').path}
"""
String java = new File(System.getProperty('java.home'), 'bin/java').path
def process = new ProcessBuilder('timeout', '1800', java, '-Xmx256m', '-jar', s3proxyJar, '--properties', conf.path)
        .redirectErrorStream(true).redirectOutput(new File(dir, 's3proxy.log')).start()
new File(dir, 'pid').text = process.pid().toString()
long deadline = System.currentTimeMillis() + 60_000
while (true) {
    assert process.isAlive() : "s3proxy exited:\n" + new File(dir, 's3proxy.log').text
    try {
        new Socket('127.0.0.1', port).close()
        break
    } catch (IOException notYet) {
        assert System.currentTimeMillis() < deadline : 's3proxy did not listen within 60 s'
        Thread.sleep(100)
    }
}

String common = """python-runtime.repository = s3://runtimes/python
python-runtime.s3.endpoint = http://127.0.0.1:${port}
python-runtime.s3.pathStyle = true
"""
new File(basedir, 's3.properties').text = common + 'python-runtime.serverId = it-s3proxy\n'
new File(basedir, 'wrong-server.properties').text = common + 'python-runtime.serverId = no-such-server\n'
return true
