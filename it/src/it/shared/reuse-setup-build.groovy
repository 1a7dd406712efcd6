// Shared by the cases that start from the quick 3.11.2 the setup project compile-builds-a-relocatable-python built:
// copies its manifest and its compiled target into <basedir>/<outputDirectory>, where compile finds it up to date
// (the same manifest gives the same plan fingerprint; if they ever differ, compile simply rebuilds).
// Evaluates to a closure: reuse(basedir, outputDirectory).
return { File basedir, String outputDirectory ->
    File setup = new File(basedir, '../compile-builds-a-relocatable-python')
    String id = '3.11.2-debian-12-amd64'
    new File(basedir, 'python.yaml').text = new File(setup, 'python.yaml').text
    File from = new File(setup, "target/python-runtime/${id}")
    File to = new File(basedir, "${outputDirectory}/${id}")
    to.mkdirs()
    for (name in ['staging', 'symbols', 'compiled.fingerprint', 'build-info.json']) {
        def p = ['cp', '-a', new File(from, name).path, to.path].execute()
        p.waitForProcessOutput(System.out, System.err)
        assert p.exitValue() == 0 : "cannot copy ${name} from the setup project"
    }
}
