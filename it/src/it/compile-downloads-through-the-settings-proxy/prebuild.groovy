// A server with the "tarball" and a real HTTP proxy (tinyproxy), both on 127.0.0.1; verify.groovy stops them, and
// `timeout` ends them anyway should the build die first.
File dir = new File(basedir, 'target/servers')
File www = new File(dir, 'www')
www.mkdirs()
dir.setWritable(true, false)
new File(www, 'Python-3.11.2.tgz').text = 'not the real tarball'
def freePort = { new ServerSocket(0, 1, InetAddress.getLoopbackAddress()).withCloseable { it.localPort } }
int wwwPort = freePort()
int proxyPort = freePort()
File conf = new File(dir, 'tinyproxy.conf')
conf.text = """Port ${proxyPort}
Listen 127.0.0.1
Timeout 60
LogFile "${new File(dir, 'tinyproxy.log')}"
LogLevel Info
Allow 127.0.0.1
"""
def start = { String name, List<String> cmd ->
    def p = new ProcessBuilder((['timeout', '600'] + cmd).collect { it.toString() }).redirectErrorStream(true)
            .redirectOutput(new File(dir, "${name}.out")).start()
    new File(dir, "${name}.pid").text = p.pid().toString()
    return p
}
def web = start('www', ['/usr/bin/python3', '-m', 'http.server', '--bind', '127.0.0.1', '--directory', www.path, "${wwwPort}"])
assert new File('/usr/bin/tinyproxy').canExecute() : 'tinyproxy is not installed: apt-get install tinyproxy (.ci/run does)'
def proxy = start('tinyproxy', ['/usr/bin/tinyproxy', '-d', '-c', conf.path])
long deadline = System.currentTimeMillis() + 30_000
for (port in [wwwPort, proxyPort]) {
    while (true) {
        assert web.isAlive() && proxy.isAlive() : 'a server exited: ' + dir.listFiles().findAll { it.name.endsWith('.out') }*.text
        try {
            new Socket('127.0.0.1', port).close()
            break
        } catch (IOException notYet) {
            assert System.currentTimeMillis() < deadline : "nothing listens on 127.0.0.1:${port} after 30 s"
            Thread.sleep(100)
        }
    }
}
new File(basedir, 'proxy-settings.xml').text = """<settings>
  <proxies>
    <proxy>
      <id>it-proxy</id>
      <active>true</active>
      <protocol>http</protocol>
      <host>127.0.0.1</host>
      <port>${proxyPort}</port>
    </proxy>
  </proxies>
</settings>
"""
new File(basedir, 'python.yaml').text = """schema: 1
source:
  url: "http://127.0.0.1:${wwwPort}/{file}"
distros:
  debian-12: { executor: host, packages: [] }
arches: [ amd64 ]
build:
  configure: [ --enable-optimizations ]
versions:
  - { version: 3.11.2, file: Python-3.11.2.tgz, sha256: ${'0' * 64} }
profiles:
  quick:                     # what every case is run with
    description: "No PGO"
    configure: { remove: [ --enable-optimizations ] }
"""
new File(dir, 'url').text = "http://127.0.0.1:${wwwPort}/Python-3.11.2.tgz"
return true
