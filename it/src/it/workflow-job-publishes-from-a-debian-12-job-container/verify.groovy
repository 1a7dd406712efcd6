// A team's path from our release to a published runtime, as far as this machine allows:
//  0. python-runtime is released with tools/release (the release profile: sources, javadoc, .asc by maven-gpg-plugin's
//     Bouncy Castle signer from MAVEN_GPG_KEY) to a file: Maven repository, from a copy of this source tree;
//  1. a repo is generated from the released archetype with -DpluginRepository naming that repository;
//  2. the generated workflow's matrix job step runs on this machine (standing in for its ubuntu-24.04 runner), with the
//     workflow_dispatch input targets=3.11.2-debian-12-amd64;
//  3. then the runtime job of the entry it printed, in a job container of the entry's image: every step in the
//     workflow file's order, `run` steps read from the file with their expressions filled in, executed with `bash -e`
//     by `exec` in one long-lived container, GITHUB_ENV carried from step to step, as the runner does.
// Both jobs start with an EMPTY Maven repository, as on a runner that has never seen the plugin: it comes from the
// file: repository (mounted at the same path in the job container), everything else from Maven Central.
// What cannot run here and stands in for it, each named where it happens:
//  - debian:12 from Docker Hub: a bookworm minbase made by tools/debootstrap-image from this machine's apt archive;
//  - actions/checkout: a copy of the generated repo; actions/setup-java: Debian's OpenJDK 17 installed in the container,
//    and the settings.xml setup-java writes (its server-id, with the credentials' environment variable names);
//  - actions/cache: a cache miss (the first run of the workflow); ccache from this machine's cache directory instead
//    (its earlier runs' hits), so that the build stays quick;
//  - the AWS steps are skipped as on a repo without AWS_ROLE_ARN or keys: the pom publishes to a file: repository;
//  - the quick profile (MAVEN_ARGS): the release build (PGO+LTO) takes 17 to 20 minutes here; bench/catalog builds it.
import groovy.json.JsonSlurper
import java.util.concurrent.TimeUnit
import org.yaml.snakeyaml.Yaml

String target = '3.11.2-debian-12-amd64'
String name = "python-${target}.tar.zst"
String release = '0.1.0'
String pluginsId = 'team-plugins'
File work = new File(basedir, 'work')
work.deleteDir()            // a re-run without clean starts from nothing too
File temp = new File(work, '_temp')
temp.mkdirs()
File generated = new File(work, 'generated/my-runtimes')
File mvn = new File(System.getProperty('maven.home'), 'bin/mvn')

def run = { List cmd, File dir, Map env = [:], File log = null, long minutes = 10 ->
    def pb = new ProcessBuilder(cmd.collect { it.toString() }).directory(dir).redirectErrorStream(true)
    pb.environment().putAll(env.collectEntries { k, v -> [(k.toString()): v.toString()] })
    if (log) pb.redirectOutput(log)
    Process p = pb.start()
    p.outputStream.close()
    String out = log ? '' : p.inputStream.text
    if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
        p.destroyForcibly()
        assert false : "${cmd} did not end within ${minutes} minutes"
    }
    String text = log ? log.text : out
    assert p.exitValue() == 0 : "${cmd} failed (exit ${p.exitValue()}):\n${text.readLines().takeRight(60).join('\n')}"
    return text
}

// The settings.xml that Maven reads on a runner of this machine: the repositories the tests' local one reads through
// (src/it/settings.xml, the user's local repository first, then Maven Central).
File itSettings = new File(work, 'it-settings.xml')
File userRepo = new File(System.getProperty('user.home'), '.m2/repository')
itSettings.text = new File(itSources, 'settings.xml').text.replace('@localRepositoryUrl@', userRepo.toURI().toString())

// 0. The release. A copy of the source tree (not the tree this build runs in), released as tools/release does it for a
//    team, signed with the release key its MAVEN_GPG_KEY holds. The plugin's repository is a file: one, at a path that
//    is the same on this machine and in the job container.
File releaseSrc = new File(work, 'release-src')
releaseSrc.mkdirs()
File root = new File(itSources, '../../..').canonicalFile
run(['bash', '-c', 'tar -C "$1" --exclude=target --exclude=.git -cf - .mvn pom.xml core maven-plugin manifest-parent archetype it/pom.xml tools | tar -C "$2" -xf -',
     'copy', root.path, releaseSrc.path], basedir)
File pluginRepo = new File(work, 'plugin-repo')
def gpgIn = evaluate(new File(itSources, 'shared/gpg.groovy'))
File releaseGpg = java.nio.file.Files.createTempDirectory('it-gpg').toFile()
String releaseKey, releaseFpr, releasePublicKey
try {
    gpgIn(releaseGpg, 'release passphrase', ['--quick-gen-key', 'python-runtime releases <releases@pyruntime.example>', 'ed25519', 'sign', '1y'])
    releaseFpr = gpgIn(releaseGpg, 'release passphrase', ['--with-colons', '--list-keys']).readLines().find { it.startsWith('fpr:') }.split(':')[9]
    releaseKey = gpgIn(releaseGpg, 'release passphrase', ['--armor', '--export-secret-keys', releaseFpr])
    releasePublicKey = gpgIn(releaseGpg, 'release passphrase', ['--armor', '--export', releaseFpr])
} finally {
    ['gpgconf', '--homedir', releaseGpg.path, '--kill', 'all'].execute().waitFor()
    releaseGpg.deleteDir()
}
File releaseLog = new File(work, 'release.log')
run([new File(releaseSrc, 'tools/release').path, release, "local::${pluginRepo.toURI()}",
     '-DskipTests', "-Dmaven.repo.local=${localRepositoryPath}", '-s', itSettings.path], releaseSrc,
    [MVN: mvn.path, MAVEN_GPG_KEY: releaseKey, MAVEN_GPG_PASSPHRASE: 'release passphrase'], releaseLog, 30)
File pluginDir = new File(pluginRepo, "dev/pyruntime/python-runtime-maven-plugin/${release}")
['python-runtime-parent': ['.pom'], 'python-runtime-core': ['.pom', '.jar', '-sources.jar', '-javadoc.jar'],
 'python-runtime-maven-plugin': ['.pom', '.jar', '-sources.jar', '-javadoc.jar'],
 'python-runtime-manifest-parent': ['.pom'], 'python-runtime-archetype': ['.pom', '.jar', '-sources.jar', '-javadoc.jar']]
        .each { String artifact, List<String> suffixes ->
            suffixes.each { String suffix ->
                File f = new File(pluginRepo, "dev/pyruntime/${artifact}/${release}/${artifact}-${release}${suffix}")
                assert f.isFile() && new File(f.path + '.asc').isFile() : "the release lacks ${f.name} or its .asc"
            }
        }
assert !new File(pluginRepo, 'dev/pyruntime/python-runtime-it').exists()
// The released POMs carry the version, not ${revision}.
assert new File(pluginDir, "python-runtime-maven-plugin-${release}.pom").text.contains("<version>${release}</version>")
assert !new File(pluginDir, "python-runtime-maven-plugin-${release}.pom").text.contains('${revision}')
// The manifest parent names the plugin at the release's version, and leaves its children no revision property.
def parentPom = new groovy.xml.XmlSlurper().parse(new File(pluginRepo,
        "dev/pyruntime/python-runtime-manifest-parent/${release}/python-runtime-manifest-parent-${release}.pom"))
assert parentPom.version.text() == release && parentPom.properties.'python-runtime.version'.text() == release
assert parentPom.properties.revision.isEmpty()

// 1. Generate from the released archetype, naming the repository. The archetype adds the Maven wrapper, for the
//    Maven version it names, from this machine's Maven configuration.
File generateLog = new File(work, 'generate.log')
run([mvn.path, '-B', 'org.apache.maven.plugins:maven-archetype-plugin:3.4.1:generate', '-DinteractiveMode=false',
     '-DarchetypeGroupId=dev.pyruntime', '-DarchetypeArtifactId=python-runtime-archetype', "-DarchetypeVersion=${release}",
     '-DgroupId=com.example', '-DartifactId=my-runtimes', '-Drepository=file:/__w/published',
     "-DpluginRepository=${pluginRepo.toURI()}", "-DpluginRepositoryId=${pluginsId}",
     "-DoutputDirectory=${generated.parentFile}", "-Dmaven.repo.local=${localRepositoryPath}", '-s', itSettings.path],
    work, [:], generateLog, 20)
assert generateLog.text.contains('[INFO] Maven wrapper: ./mvnw runs Maven 3.9.9')
assert new File(generated, 'mvnw').canExecute()
Properties wrapper = new Properties()
new File(generated, '.mvn/wrapper/maven-wrapper.properties').withReader { wrapper.load(it) }
assert wrapper.distributionUrl.endsWith('/org/apache/maven/apache-maven/3.9.9/apache-maven-3.9.9-bin.zip')
def pom = new groovy.xml.XmlSlurper().parse(new File(generated, 'pom.xml'))
assert pom.pluginRepositories.pluginRepository.id.text() == pluginsId
assert pom.pluginRepositories.pluginRepository.url.text() == pluginRepo.toURI().toString()
assert pom.build.plugins.plugin.find { it.artifactId.text() == 'python-runtime-maven-plugin' }.version.text() == release
Map wf = new Yaml().load(new File(generated, '.github/workflows/runtimes.yml').text)

// The repository's signing secrets, as a team makes them: a key from Debian's gpg (in a short home of its own, where
// the agent's socket lives), its signing subkey exported ASCII-armored, and its passphrase.
File gpgHome = java.nio.file.Files.createTempDirectory('it-gpg').toFile()
def gpg = { List<String> args -> gpgIn(gpgHome, 'ci passphrase', args) }
String signingKey, fpr
try {
    gpg(['--quick-gen-key', 'Runtime Releases <releases@example.org>', 'ed25519', 'cert', '1y'])
    fpr = gpg(['--with-colons', '--list-keys']).readLines().find { it.startsWith('fpr:') }.split(':')[9]
    gpg(['--quick-add-key', fpr, 'ed25519', 'sign', '1y'])
    signingKey = gpg(['--armor', '--export-secret-subkeys', fpr])
} finally {
    ['gpgconf', '--homedir', gpgHome.path, '--kill', 'all'].execute().waitFor()
    gpgHome.deleteDir()
}

// The expressions and conditions the workflow uses, as this run has them. One the emulation does not know fails the
// test: a change to the workflow must be looked at here too.
Map expressions = [
        'secrets.MAVEN_GPG_KEY'                : signingKey,
        'secrets.MAVEN_GPG_PASSPHRASE'         : 'ci passphrase',
        'inputs.targets'                       : target,
        'inputs.dry-run || false'              : 'false',
        'inputs.rebuild-published || false'    : 'false',
        "secrets.AWS_ACCESS_KEY_ID != ''"      : 'false',
        // The plugin's repository is a file: one: no credentials.
        'secrets.PLUGIN_REPOSITORY_USERNAME'   : '',
        'secrets.PLUGIN_REPOSITORY_PASSWORD'   : '',
        'matrix.target'                        : target,
        'env.DRY_RUN'                          : 'false',
        'env.REBUILD_PUBLISHED'                : 'false',
]
Map conditions = [
        "matrix.container != ''"                                  : true,
        "vars.AWS_ROLE_ARN != ''"                                 : false,
        "vars.AWS_ROLE_ARN == '' && env.HAS_AWS_KEY == 'true'"    : false,
        'failure()'                                               : false,
]
def expand = { String text ->
    text.replaceAll(/\$\{\{\s*(.+?)\s*\}\}/) { all, String e ->
        assert expressions.containsKey(e) : "the job emulation does not know the expression \${{ ${e} }}"
        expressions[e]
    }
}

File ws = new File(work, 'my-runtimes')
// actions/checkout: the repo's files.
run(['cp', '-a', generated.path, ws.path], basedir)
// actions/cache: a miss, as on the workflow's first run. Maven's repository starts empty.
new File(ws, '.cache').mkdirs()

// actions/setup-java writes ~/.m2/settings.xml: a server with the step's server-id, whose credentials are the named
// environment variables (the job's env maps them to the secrets).
def setupJavaSettings = { Map with ->
    assert with.'server-id' == pluginsId && with.'server-username' && with.'server-password'
    """<settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">
  <servers>
    <server>
      <id>${with.'server-id'}</id>
      <username>\${env.${with.'server-username'}}</username>
      <password>\${env.${with.'server-password'}}</password>
    </server>
  </servers>
</settings>
"""
}

// 2. The matrix job, on this machine: its `matrix` step as written, writing to a GITHUB_OUTPUT file.
Map matrixJob = wf.jobs.matrix
assert matrixJob.'runs-on' == 'ubuntu-24.04'
Map matrixStep = matrixJob.steps.find { it.id == 'matrix' }
// The runner's home: setup-java's settings.xml and an empty ~/.m2/repository (its cache: a miss).
File runnerM2 = new File(work, 'runner-home/.m2')
runnerM2.mkdirs()
File runnerSettings = new File(runnerM2, 'settings.xml')
runnerSettings.text = setupJavaSettings(matrixJob.steps.find { it.uses?.startsWith('actions/setup-java@') }.with)
File output = new File(temp, 'matrix-output')
File script = new File(temp, 'matrix.sh')
script.text = expand(matrixStep.run)
Map env = (matrixJob.env ?: [:]).collectEntries { k, v -> [k, expand(v)] } +
        matrixStep.env.collectEntries { k, v -> [k, expand(v)] } + [
        GITHUB_OUTPUT: output.path, GITHUB_WORKSPACE: ws.path, CI: 'true', GITHUB_ACTIONS: 'true',
        // The runner's ~/.m2 is this case's runner-home/.m2 (Maven's user.home cannot be moved otherwise).
        MAVEN_USER_HOME: new File(work, 'runner-home/.m2').path,
        MAVEN_ARGS: "-s ${runnerSettings} -Dmaven.repo.local=${new File(runnerM2, 'repository')}"]
run(['bash', '-e', script.path], ws, env, new File(work, 'matrix-job.log'), 20)
String line = output.readLines().find { it.startsWith('matrix=') }
assert line : "the matrix step wrote no matrix output: ${output.text}"
def matrix = new JsonSlurper().parseText(line.substring('matrix='.length()))
assert matrix.include.size() == 1
Map entry = matrix.include[0]
assert entry.target == target && entry.runner == 'ubuntu-24.04' && entry.container == 'debian:12'

// 3. The runtime job for that entry, in its job container.
Map job = wf.jobs.runtime
assert job.container == '${{ matrix.container }}'
String image = 'python-runtime/debian-12-run'      // debian:12 cannot be pulled here: a bookworm minbase stands in
evaluate(new File(itSources, 'shared/debootstrap-image.groovy'))('bookworm', image, containerEngine, containerEngineArgs)
List engine = [containerEngine] + (containerEngineArgs.trim() ? containerEngineArgs.trim().split(/\s+/).toList() : [])
List runArgs = containerRunArgs.trim() ? containerRunArgs.trim().split(/\s+/).toList() : []
// The workspace is where GitHub puts it in a job container. Every run of this case compiles at the same paths, so
// this machine's ccache directory (restored as .cache/ccache) has the hits of its earlier runs.
String containerWs = '/__w/my-runtimes/my-runtimes'
String ccacheDir = run(['ccache', '-k', 'cache_dir'], basedir).trim()
new File(ccacheDir).mkdirs()
File published = new File(work, 'published')
published.mkdirs()
File aptCache = new File(System.getProperty('user.home'), '.cache/python-runtime/apt/bookworm')   // debs, kept between runs
aptCache.mkdirs()
// ccache's own counters for that directory, before and after the job.
def ccacheCalls = { ->
    Map stats = run(['ccache', '--print-stats'], basedir, [CCACHE_DIR: ccacheDir]).readLines()
            .collect { it.split('\t') }.findAll { it.size() == 2 }.collectEntries { [it[0], it[1] as long] }
    ['direct_cache_hit', 'preprocessed_cache_hit', 'cache_miss'].collectEntries { [it, stats[it] ?: 0L] }
}
Map ccacheBefore = ccacheCalls()
// A machine whose network is reached through a TLS-inspecting egress trusts that egress's CA through Debian's local CA
// directory; a job container needs it too (as a self-hosted runner's would): the tools step's ca-certificates reads it.
File localCas = new File('/usr/local/share/ca-certificates')
List caMount = localCas.list()?.any { it.endsWith('.crt') } ? ['-v', "${localCas}:${localCas}:ro"] : []
String container = "python-runtime-it-job-${ProcessHandle.current().pid()}"
run(engine + ['run', '-d', '--name', container] + runArgs + caMount + [
        '-v', "${ws}:${containerWs}", '-v', "${ccacheDir}:${containerWs}/.cache/ccache",
        '-v', "${published}:/__w/published", '-v', "${temp}:/__w/_temp", '-v', "${aptCache}:/var/cache/apt/archives",
        // The plugin's file: repository at the path the generated pom names, read-only.
        '-v', "${pluginRepo}:${pluginRepo}:ro",
        '-w', containerWs, image, 'sleep', 'infinity'], basedir)
Map jobEnv = job.env.collectEntries { k, v -> [k, expand(v)] } + [
        GITHUB_WORKSPACE: containerWs, CI: 'true', GITHUB_ACTIONS: 'true', HOME: '/github/home',
        MAVEN_ARGS: '-Dpython-runtime.profile=quick']
List<String> ran = []
try {
    run(engine + ['exec', container, 'mkdir', '-p', '/github/home'], basedir)
    job.steps.eachWithIndex { Map step, int i ->
        String title = step.name ? expand(step.name) : step.uses
        if (step['if'] != null) {
            assert conditions.containsKey(step['if']) : "the job emulation does not know the condition ${step['if']}"
            if (!conditions[step['if']]) {
                println "job step ${i}: skipped (${step['if']}): ${title}"
                return
            }
        }
        File log = new File(work, "step-${i}.log")
        if (step.uses) {
            String action = step.uses.substring(0, step.uses.indexOf('@'))
            if (action == 'actions/setup-java') {
                // A JDK 17 on PATH: Debian's, from the same archive.
                run(engine + ['exec', container, 'apt-get', 'install', '-y', '-qq', '--no-install-recommends',
                              'openjdk-17-jre-headless'], basedir, [:], log)
                jobEnv.JAVA_HOME = '/usr/lib/jvm/java-17-openjdk-amd64'
                // Its settings.xml, in the job's HOME (/github/home), where setup-java writes it.
                File settings = new File(temp, 'setup-java-settings.xml')
                settings.text = setupJavaSettings(step.with)
                run(engine + ['exec', container, 'bash', '-c',
                              'mkdir -p /github/home/.m2 && cp /__w/_temp/setup-java-settings.xml /github/home/.m2/settings.xml'], basedir)
            } else {
                assert action in ['actions/checkout', 'actions/cache'] : "the job emulation does not know ${step.uses}"
            }
            ran << action
            return
        }
        File stepEnvFile = new File(temp, "env-${i}")
        stepEnvFile.text = ''
        new File(temp, "step-${i}.sh").text = expand(step.run)
        Map stepEnv = jobEnv + (step.env ?: [:]).collectEntries { k, v -> [k, expand(v)] } +
                [GITHUB_ENV: "/__w/_temp/env-${i}".toString()]
        List exec = engine + ['exec', '-w', containerWs] + stepEnv.collectMany { k, v -> ['-e', "${k}=${v}"] } +
                [container, 'bash', '-e', "/__w/_temp/step-${i}.sh"]
        println "job step ${i}: ${title}"
        try {
            run(exec, basedir, [:], log, 40)
        } catch (AssertionError e) {
            assert false : "job step ${i} (${title}) failed; its log, ${log}, ends:\n${log.text.readLines().takeRight(60).join('\n')}"
        }
        stepEnvFile.readLines().findAll { it.trim() }.each {
            assert it.contains('=') && !it.contains('<<') : "GITHUB_ENV line the emulation does not read: ${it}"
            jobEnv[it.substring(0, it.indexOf('='))] = it.substring(it.indexOf('=') + 1)
        }
        ran << title
    }
} finally {
    run(engine + ['rm', '-f', container], basedir)
}
assert ran.containsAll(['actions/checkout', 'actions/setup-java', 'actions/cache', "Build, verify and publish ${target}".toString()])

// 4. What the job did. Its Maven resolved the plugin, into the empty repository, from the team's repository; and it is
//    the jar the release signed: a team's gpg checks it with the release's public key. (Maven checks a download's
//    checksum, with checksumPolicy fail in the generated pom, but no Maven version checks a signature as it resolves:
//    docs/manifest-repo.md#where-the-plugin-comes-from.)
File resolved = new File(ws, ".cache/m2/dev/pyruntime/python-runtime-maven-plugin/${release}")
File resolvedJar = new File(resolved, "python-runtime-maven-plugin-${release}.jar")
assert resolvedJar.isFile() : "the job resolved no plugin ${release} into its Maven repository"
assert new File(resolved, '_remote.repositories').text.contains("python-runtime-maven-plugin-${release}.jar>${pluginsId}=")
assert new File(ws, ".cache/m2/dev/pyruntime/python-runtime-core/${release}/_remote.repositories").text.contains(">${pluginsId}=")
// Its other dependencies came from Maven Central, not from the tests' repositories.
assert new File(ws, '.cache/m2/software/amazon/awssdk/s3').listFiles().every { v ->
    new File(v, '_remote.repositories').text.readLines().findAll { it.contains('>') }.every { it.endsWith('>central=') } }
File teamGpg = java.nio.file.Files.createTempDirectory('it-gpg').toFile()
try {
    File keyFile = new File(work, "${releaseFpr}.asc")
    keyFile.text = releasePublicKey
    run(['gpg', '--homedir', teamGpg.path, '--batch', '--import', keyFile.path], work)
    String verified = run(['bash', '-c', 'gpg --homedir "$1" --batch --status-fd 1 --verify "$2" "$3" 2>&1', 'verify',
                           teamGpg.path, new File(pluginDir, resolvedJar.name + '.asc').path, resolvedJar.path], work)
    assert verified.contains("[GNUPG:] VALIDSIG ${releaseFpr}")
} finally {
    ['gpgconf', '--homedir', teamGpg.path, '--kill', 'all'].execute().waitFor()
    teamGpg.deleteDir()
}
// And the matrix job's runner resolved it the same way, into its own empty repository.
assert new File(runnerM2, "repository/dev/pyruntime/python-runtime-maven-plugin/${release}/_remote.repositories").text
        .contains(">${pluginsId}=")

// What the job built. The workflow's caches are where it put them: the wrapper's Maven 3.9.9, the source tarball.
assert jobEnv.MAVEN_USER_HOME == "${containerWs}/.cache/mvnw" && jobEnv.CCACHE_DIR == "${containerWs}/.cache/ccache"
assert new File(ws, '.cache/mvnw/wrapper/dists').listFiles().any { it.name.startsWith('apache-maven-3.9.9') }
assert new File(ws, '.cache/sources').listFiles().any { it.list().any { it.startsWith('Python-3.11.2.t') } }
String deployLog = new File(work, "step-${job.steps.findIndexOf { it.name?.startsWith('Build, verify and publish') }}.log").text
assert deployLog =~ /verify ${java.util.regex.Pattern.quote(name)}: \d+ passed, 0 failed/
assert deployLog.contains("${target}: published file:///__w/published/${name}")
// Signed with the secrets' subkey; a consumer's gpg checks the archive with the key published at the root.
assert deployLog =~ /deploy signs with [0-9A-F]{40} \(a subkey of ${fpr}\)/
File consumerGpg = java.nio.file.Files.createTempDirectory('it-gpg').toFile()
try {
    run(['gpg', '--homedir', consumerGpg.path, '--batch', '--import', "${fpr}.asc"], published)
    run(['gpg', '--homedir', consumerGpg.path, '--batch', '--verify', "${name}.asc", name], published)
} finally {
    ['gpgconf', '--homedir', consumerGpg.path, '--kill', 'all'].execute().waitFor()
    consumerGpg.deleteDir()
}
// The catalog's 3.11.2 as the archetype means it (this is its one build in the tests): the accelerators built in
// (Modules/Setup.local), 3.11's own module names (_sha256, _sha512, spwd), crypt still required.
assert deployLog =~ /(?m)PASS +builtin .*: 27 modules: array _bisect/
assert deployLog =~ /(?m)PASS +elf-bindnow /
def plan = new JsonSlurper().parse(new File(ws, "target/python-runtime/${target}/plan.json"))
assert plan.builtinModules*.value.containsAll(['_sha256', '_sha512', 'spwd']) && plan.verifyModules*.value.contains('crypt')
// The build packages step installed ccache with them, and the build compiled through it: ccache's own counters for
// the workspace's cache directory count this job's compilations.
String pkgLog = new File(work, "step-${job.steps.findIndexOf { it.name?.startsWith('Build packages') }}.log").text
assert pkgLog =~ /Setting up ccache /
Map ccacheAfter = ccacheCalls()
Map ccacheJob = ccacheAfter.collectEntries { k, v -> [k, v - ccacheBefore[k]] }
println "ccache in the job container: ${ccacheJob}"
assert ccacheJob.values().sum() > 100
// Published: what a consumer checks, with sha256sum, and the index names it.
assert run(['sha256sum', '-c', "${name}.sha256"], published).trim() == "${name}: OK"
def index = new JsonSlurper().parse(new File(published, 'index.json'))
assert index.runtimes*.key == [name]

// 5. The next run of the workflow: the matrix job asks the repository, and the target published there now gets no
//    job. (The job container's /__w/published is this case's work/published on this machine.) The runtime job's
//    condition is false for that output: no job starts at all.
File output2 = new File(temp, 'matrix-output-2')
output2.text = ''
String again = run(['bash', '-e', script.path], ws, env + [GITHUB_OUTPUT: output2.path,
        MAVEN_ARGS: env.MAVEN_ARGS + " -Dpython-runtime.repository=${published.toURI()}"], new File(work, 'matrix-job-2.log'))
assert again.contains("${target}: already published at ${new File(published, name).toPath().toUri()}") &&
        again.contains('no job (python-runtime.rebuildPublished=true gives it one)')
def matrix2 = new JsonSlurper().parseText(output2.readLines().find { it.startsWith('matrix=') }.substring('matrix='.length()))
assert matrix2.include == []
assert job['if'] == 'fromJSON(needs.matrix.outputs.matrix).include[0] != null'
return true
