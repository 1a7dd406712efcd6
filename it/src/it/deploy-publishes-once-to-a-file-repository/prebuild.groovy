// Start from the setup project's quick 3.11.2, copied into target/python-runtime.
evaluate(new File(itSources, 'shared/reuse-setup-build.groovy'))(basedir, 'target/python-runtime')

// What someone with write access to the store plants at the target's key: an archive whose bin/python3 is a script that
// would write a marker file if anything ran it.
File planted = new File(basedir, 'target/planted')
new File(planted, 'bin').mkdirs()
File script = new File(planted, 'bin/python3')
script.text = "#!/bin/sh\ntouch '${new File(basedir, 'target/planted-ran').path}'\necho 'Python 3.11.2'\n"
script.setExecutable(true)
File plantedRepo = new File(basedir, 'target/planted-repo')
plantedRepo.mkdirs()
def tar = new ProcessBuilder('tar', '--zstd', '-c', '-f', new File(plantedRepo, 'python-3.11.2-debian-12-amd64.tar.zst').path,
        '-C', planted.path, 'bin').redirectErrorStream(true).start()
assert tar.waitFor() == 0 : tar.inputStream.text
return true
