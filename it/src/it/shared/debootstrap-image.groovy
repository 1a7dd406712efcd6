// Shared by the cases that need a Debian image without any registry: tools/debootstrap-image debootstraps a minbase
// root of <suite> from this machine's apt archive and imports it as <image> (it does nothing when the engine already
// has the image). Evaluates to a closure: image(suite, image, engine, engineArgs).
return { String suite, String image, String engine, String engineArgs ->
    File script = new File(itSources, '../../../tools/debootstrap-image').canonicalFile
    def pb = new ProcessBuilder('bash', script.path, suite, image, engine).redirectErrorStream(true)
    pb.environment().put('PYTHON_RUNTIME_ENGINE_ARGS', engineArgs)
    def p = pb.start()
    String out = p.inputStream.text
    assert p.waitFor() == 0 : "${script} failed:\n${out}"
    println out
}
