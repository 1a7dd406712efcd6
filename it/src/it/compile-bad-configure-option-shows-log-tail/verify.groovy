String id = '3.11.2-debian-12-amd64'
File work = new File(basedir, "target/python-runtime/${id}")
String log = new File(basedir, 'build.log').text
File configureLog = new File(work, 'logs/configure.log')

assert configureLog.isFile()
assert log.contains("${id}: configure failed (exit 1). Last 40 lines of ${configureLog.path}:")
assert log.contains('configure: error: unrecognized options: --with-no-such-thing')
assert log.contains("Full log: ${configureLog.path}")
assert !log.contains('\tat dev.pyruntime') && !log.contains('Caused by:')
assert !new File(work, 'compiled.fingerprint').exists() : 'a failed build must not look up to date'
return true
