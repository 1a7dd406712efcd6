// Start from the setup project's quick 3.11.2 (step 1 packs it), and craft the hostile archives with the tools an
// attacker would use: a tar of a 300 MiB hole-only file read as zeros (a zstd bomb of a few kB), and GNU tar's own
// sparse entry of 4 GiB. Each is named as the 3.11.2 target's archive, in a directory of its own, with nothing beside.
evaluate(new File(itSources, 'shared/reuse-setup-build.groovy'))(basedir, 'target/python-runtime')
String name = 'python-3.11.2-debian-12-amd64.tar.zst'
def sh = { String script ->
    def p = new ProcessBuilder('bash', '-euo', 'pipefail', '-c', script).directory(basedir).redirectErrorStream(true).start()
    String out = p.inputStream.text
    assert p.waitFor() == 0 : "${script} failed:\n${out}"
}
// The file names come from this script, not from input; bash gets them as arguments.
sh("mkdir -p downloads/bomb downloads/sparse downloads/other work && truncate -s 300M work/lib.so && " +
   "tar --format=ustar -C work -cf - lib.so | zstd -q -19 -o downloads/bomb/${name} && " +
   "truncate -s 4G work/holes && tar --sparse -C work -cf - holes | zstd -q -o downloads/sparse/${name} && " +
   "rm -f work/lib.so work/holes && echo not-an-archive > downloads/other/python-9.9.9-debian-12-amd64.tar.zst")
// A NUL in an entry name: ustar's name field would end at it, so Python's tarfile writes it in a PAX 'path' record,
// where it survives (a name over 100 bytes forces the record).
sh("mkdir -p downloads/nul && python3 -c 'import io, sys, tarfile\n" +
   "t = tarfile.open(fileobj=sys.stdout.buffer, mode=\"w|\", format=tarfile.PAX_FORMAT)\n" +
   "i = tarfile.TarInfo(\"python/\" + \"d\" * 100 + \"/a\\0b\"); i.size = 1\n" +
   "t.addfile(i, io.BytesIO(b\"x\")); t.close()' | zstd -q -o downloads/nul/${name}")
assert new File(basedir, "downloads/bomb/${name}").length() < 200_000
assert new File(basedir, "downloads/sparse/${name}").length() < 10_000
return true
