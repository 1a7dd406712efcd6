String sha = '29e4b8f5f1658542a8c13e2dd277358c9c48f2b2f7318652ef1675e402b9d2af'
String log = new File(basedir, 'build.log').text

assert log.contains("Cannot get source Python-3.11.2.tgz (sha256 ${sha}); tried:")
// The manifest's URL (python.org cannot be reached from here) and the apt pool, which serves the real .tgz.
assert log.contains('https://www.python.org/ftp/python/3.11.2/Python-3.11.2.tgz: ')
assert log =~ /python3\.11_3\.11\.2\.orig\.tar\.gz: sha256 mismatch: expected ${sha}, got 2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849/
assert log.contains('How to fix:')
assert !log.contains('\tat dev.pyruntime') && !log.contains('Caused by:')

// Nothing with the wrong content was cached, and nothing was built.
File cache = new File(basedir, "target/source-cache/${sha}")
assert !cache.exists() || cache.listFiles().every { it.name.startsWith('.') && !it.name.endsWith('.part') } : "cache: ${cache.list()}"
assert !new File(basedir, 'target/python-runtime/3.11.2-debian-12-amd64/build').exists()
return true
