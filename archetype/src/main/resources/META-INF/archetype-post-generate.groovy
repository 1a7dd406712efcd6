// Adds the Maven wrapper (./mvnw) to the generated repo with maven-wrapper-plugin's own `wrapper` goal, so every CI job
// and every developer runs the same Maven. The plugin writes the distribution URL from this machine's configuration
// (MVNW_REPOURL, else the settings.xml mirror of central, else central). The child Maven gets this session's settings,
// local repository and offline mode. Without the wrapper the repo still works with a plain `mvn`: a failure is
// reported with the command to run later, and generation goes on.
import java.util.concurrent.TimeUnit

File repo = new File(request.outputDirectory, request.artifactId)

// The archetype plugin checks requiredProperty's validationRegex only when it prompts; in batch mode (how CI and the
// docs generate) a bad value would reach pom.xml and the workflow. Checked here, and nothing generated is left behind.
Map<String, String> checks = [
        pluginRepository  : [~/central|https:\/\/[^\s"'<>&]+|file:\/[^\s"'<>&]+/,
                             "'central' (Maven Central) or the URL of a Maven repository (https://... or file:/...; Maven blocks http:// ones), with no spaces, quotes, <, > or &"],
        pluginRepositoryId: [~/[A-Za-z0-9][A-Za-z0-9._-]*/,
                             'a settings.xml server id: letters, digits, ".", "_" and "-", starting with a letter or digit'],
]
checks.each { String key, List rule ->
    String value = request.properties.getProperty(key)
    if (value != null && !(value ==~ rule[0])) {
        repo.deleteDir()
        throw new IllegalArgumentException("-D${key}=${value} is not ${rule[1]}; nothing was generated")
    }
}
String mavenVersion = request.properties.getProperty('mavenVersion', '3.9.9')
String wrapperGoal = 'org.apache.maven.plugins:maven-wrapper-plugin:3.3.4:wrapper'
def session = request.mavenSession?.request
String mavenHome = System.getProperty('maven.home')
File mvn = new File(mavenHome ?: '/usr/share/maven', 'bin/mvn')
List<String> cmd = [mvn.path, '-B', '-N', '-ntp']
if (session?.offline) cmd << '-o'
if (session?.userSettingsFile?.isFile()) cmd += ['-s', session.userSettingsFile.path]
if (session?.globalSettingsFile?.isFile()) cmd += ['-gs', session.globalSettingsFile.path]
if (session?.localRepositoryPath) cmd << ('-Dmaven.repo.local=' + session.localRepositoryPath.path)
cmd += [wrapperGoal, '-Dmaven=' + mavenVersion, '-Dtype=only-script']
String later = "cd ${repo} && mvn -N ${wrapperGoal} -Dmaven=${mavenVersion} -Dtype=only-script"

if (!mvn.canExecute()) {
    println "[WARNING] No Maven wrapper generated: ${mvn} is not an executable Maven. Add it with: ${later}"
    return
}
Process p = new ProcessBuilder(cmd).directory(repo).redirectErrorStream(true).start()
p.outputStream.close()
StringBuilder out = new StringBuilder()
Thread reader = Thread.start { p.inputStream.eachLine { out.append(it).append('\n') } }
boolean ended = p.waitFor(10, TimeUnit.MINUTES)
if (!ended) p.destroyForcibly()
reader.join(10_000)
if (ended && p.exitValue() == 0 && new File(repo, 'mvnw').canExecute()) {
    println "[INFO] Maven wrapper: ./mvnw runs Maven ${mavenVersion} (.mvn/wrapper/maven-wrapper.properties)"
} else {
    List<String> tail = out.readLines().takeRight(20)
    println "[WARNING] No Maven wrapper generated (${ended ? 'exit ' + p.exitValue() : 'no end after 10 minutes'}):"
    tail.each { println "[WARNING]   ${it}" }
    println "[WARNING] The repo works with mvn; add the wrapper the CI workflow uses with: ${later}"
}
