// The error names the property, the value and what is accepted; nothing of the repo is left.
String log = new File(basedir, 'build.log').text
assert log.contains("-DpluginRepository=nexus.example.com/releases is not 'central' (Maven Central) or the URL of a Maven repository (https://... or file:/...; Maven blocks http:// ones)")
assert log.contains('nothing was generated')
assert !new File(basedir, 'target/generated/my-runtimes').exists()
return true
