// Runs the generated workflow's own commands the way GitHub Actions would, as far as this machine allows:
//  - the matrix job's step on this machine (standing in for its ubuntu-24.04 runner), with the workflow_dispatch input
//    targets=3.11.2-debian-12-amd64;
//  - then the runtime job of the entry it printed, in a job container of the entry's image: every step in the
//    workflow file's order, `run` steps read from the file with their expressions filled in, executed with `bash -e`
//    by `exec` in one long-lived container, GITHUB_ENV carried from step to step, as the runner does.
// What cannot run here and stands in for it, each named where it happens:
//  - debian:12 from Docker Hub: a bookworm minbase made by tools/debootstrap-image from this machine's apt archive;
//  - actions/checkout: a copy of the generated repo; actions/setup-java: Debian's OpenJDK 17 installed in the container;
//  - actions/cache: the Maven repository restored from the tests' own (where the plugin under test is staged; the real
//    job's comes from Maven Central) and ccache from this machine's cache directory (its earlier runs' hits);
//  - the AWS steps are skipped as on a repo without AWS_ROLE_ARN or keys: the pom publishes to a file: repository;
//  - the quick profile (MAVEN_ARGS): the release build (PGO+LTO) takes 30 minutes here; bench/catalog builds it.
import groovy.json.JsonSlurper
import java.util.concurrent.TimeUnit
import org.yaml.snakeyaml.Yaml

String target = '3.11.2-debian-12-amd64'
String name = "python-${target}.tar.zst"
File generated = new File(basedir, 'target/generated/my-runtimes')

// 1. The archetype added the Maven wrapper, for the Maven version it names, from this machine's Maven configuration.
assert new File(basedir, 'build.log').text.contains('[INFO] Maven wrapper: ./mvnw runs Maven 3.9.9')
assert new File(generated, 'mvnw').canExecute()
Properties wrapper = new Properties()
new File(generated, '.mvn/wrapper/maven-wrapper.properties').withReader { wrapper.load(it) }
assert wrapper.distributionUrl.endsWith('/org/apache/maven/apache-maven/3.9.9/apache-maven-3.9.9-bin.zip')
Map wf = new Yaml().load(new File(generated, '.github/workflows/runtimes.yml').text)

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

// The repository's signing secrets, as a team makes them: a key from Debian's gpg (in a short home of its own, where
// the agent's socket lives), its signing subkey exported ASCII-armored, and its passphrase.
File gpgHome = java.nio.file.Files.createTempDirectory('it-gpg').toFile()
def gpgIn = evaluate(new File(itSources, 'shared/gpg.groovy'))
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
        "secrets.AWS_ACCESS_KEY_ID != ''"      : 'false',
        'matrix.target'                        : target,
        'env.DRY_RUN'                          : 'false',
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

File work = new File(basedir, 'work')
File temp = new File(work, '_temp')
temp.mkdirs()
File ws = new File(work, 'my-runtimes')
// actions/checkout: the repo's files.
run(['cp', '-a', generated.path, ws.path], basedir)
// actions/cache restores Maven's repository (hard links of the tests' local repository, where the plugin is staged).
new File(ws, '.cache').mkdirs()
run(['cp', '-al', localRepositoryPath.path, new File(ws, '.cache/m2').path], basedir)

// 2. The matrix job, on this machine: its `matrix` step as written, writing to a GITHUB_OUTPUT file.
Map matrixJob = wf.jobs.matrix
assert matrixJob.'runs-on' == 'ubuntu-24.04'
Map matrixStep = matrixJob.steps.find { it.id == 'matrix' }
File output = new File(temp, 'matrix-output')
File script = new File(temp, 'matrix.sh')
script.text = expand(matrixStep.run)
Map env = matrixStep.env.collectEntries { k, v -> [k, expand(v)] } + [
        GITHUB_OUTPUT: output.path, GITHUB_WORKSPACE: ws.path, CI: 'true', GITHUB_ACTIONS: 'true',
        // The runner's own ~/.m2 (setup-java's cache), here inside the case's directory.
        MAVEN_USER_HOME: new File(work, 'runner-m2').path, MAVEN_ARGS: "-Dmaven.repo.local=${ws}/.cache/m2"]
run(['bash', '-e', script.path], ws, env, new File(work, 'matrix-job.log'))
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

// 4. What the job did. The workflow's caches are where it put them: the wrapper's Maven 3.9.9, the source tarball.
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
return true
