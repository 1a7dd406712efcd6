import groovy.json.JsonSlurper
import org.yaml.snakeyaml.Yaml

File repo = new File(basedir, 'target/generated/my-runtimes')
String log = new File(basedir, 'build.log').text
String id = '3.11.2-debian-12-amd64'

// The generated files, with the archetype's properties in place and Maven's and Actions' expressions intact.
String pom = new File(repo, 'pom.xml').text
assert pom.contains('<groupId>com.example</groupId>') && pom.contains('<artifactId>my-runtimes</artifactId>')
assert pom.contains('<packaging>python-runtime</packaging>') && pom.contains('<extensions>true</extensions>')
assert pom.contains('<python-runtime.repository>s3://my-bucket/runtimes</python-runtime.repository>')
assert !pom.contains('<parent>')
assert new File(repo, '.gitignore').text.contains('target/')
assert new File(repo, 'keys/7169605F62C751356D054A26A821E680E5FA6305.asc').isFile()
String readme = new File(repo, 'README.md').text
assert readme.contains("3.11.2-debian-12-amd64")
// Velocity reads '##' as a comment: the headings are written through variables, and are all there.
assert readme.startsWith('# my-runtimes\n')
assert readme.readLines().findAll { it.startsWith('## ') } == ['## Try it', '## Publish', '## Change the catalog']

// The workflow is valid YAML and fans out the matrix goal's output.
String workflow = new File(repo, '.github/workflows/runtimes.yml').text
def wf = new Yaml().load(workflow)
assert wf.jobs.matrix.steps.any { it.run?.contains('python-runtime:matrix') }
assert wf.jobs.matrix.outputs.matrix == '${{ steps.matrix.outputs.matrix }}'
assert wf.jobs.runtime.strategy.matrix == '${{ fromJSON(needs.matrix.outputs.matrix) }}'
assert wf.jobs.runtime.'runs-on' == '${{ matrix.runner }}'
assert wf.jobs.runtime.container == '${{ matrix.container }}'
assert wf.jobs.runtime.steps[0]['if'] == "matrix.container != ''" && wf.jobs.runtime.steps[0].run.contains('apt-get install')
assert wf.jobs.runtime.steps.any { it.run?.contains('-Dpython-runtime.targets=${{ matrix.target }}') && it.run.contains('deploy') }
assert !workflow.contains('$d') && !workflow.contains('#set')
// A workflow a platform team would merge: least privilege, OIDC, bounded, one run per target, logs on failure, manual
// runs with targets and a dry run, triggered by the catalog, caches the job's own user fills.
evaluate(new File(itSources, 'shared/validate-workflow.groovy'))(new File(repo, '.github/workflows/runtimes.yml'))
assert wf.permissions == [contents: 'read']
assert wf.jobs.runtime.permissions == [contents: 'read', 'id-token': 'write']
assert wf.jobs.runtime.'timeout-minutes' > 0 && wf.jobs.matrix.'timeout-minutes' > 0
assert wf.jobs.runtime.concurrency.group == 'runtime-${{ matrix.target }}'
def on = wf.containsKey('on') ? wf.on : wf[true]    // YAML 1.1 (SnakeYAML) reads the key `on` as true
assert on.push.paths.containsAll(['python.yaml', 'pom.xml', 'keys/**'])
assert on.workflow_dispatch.inputs.keySet() == ['targets', 'dry-run', 'rebuild-published'] as Set
// The matrix job reads the repository's index with the runtime jobs' AWS access, and passes rebuild-published on.
assert wf.jobs.matrix.permissions == [contents: 'read', 'id-token': 'write']
assert wf.jobs.matrix.steps.any { it.uses?.startsWith('aws-actions/configure-aws-credentials@') && it.with.'role-to-assume' }
assert wf.jobs.matrix.steps.find { it.id == 'matrix' }.run.contains('-Dpython-runtime.rebuildPublished=$REBUILD_PUBLISHED')
// Without -DpluginRepository the plugin comes from Maven Central: no pluginRepositories, no server for setup-java.
assert !new File(repo, 'pom.xml').text.contains('<pluginRepositories>') && !workflow.contains('server-id')
assert wf.jobs.runtime.steps.any { it.uses?.startsWith('aws-actions/configure-aws-credentials@') && it.with.'role-to-assume' }
assert wf.jobs.runtime.steps.any { it.uses?.startsWith('actions/upload-artifact@') && it['if'] == 'failure()' }
assert wf.jobs.runtime.steps.any { it.uses?.startsWith('actions/cache@') && it.with.path.contains('.cache/ccache') }
// No sudo around Maven (it would move user.home away from the caches), no repository URL repeated from the pom.
assert !workflow.contains('sudo --preserve-env') && !workflow.contains('-Dpython-runtime.repository')
assert new File(repo, '.gitignore').text.contains('.cache/')
// The manifest's make variable survives the template engine.
assert new File(repo, 'python.yaml').text.contains('make: { LINK_PYTHON_OBJS: "$(LIBRARY_OBJS)" }')
assert new File(repo, 'python.yaml').text.contains('PROFILE_TASK: "-m test --pgo --timeout=$(TESTTIMEOUT) -x test_xml_etree')

// 2. With no target selected, every version on this host is planned, each series with its own built-in modules
// (3.11's _sha256 and _sha512 and spwd; 3.13's _sha2), and the rest listed as skipped.
// 3. The first build compiled, packed and verified 3.13.5 (3.11.2: the workflow job case).
assert log =~ /verify python-3\.13\.5-debian-12-amd64\.tar\.zst: \d+ passed, 0 failed/
assert new File(repo, "target/python-runtime/python-3.13.5-debian-12-amd64.tar.zst").isFile()
Map builtin = ['3.11.2': 27, '3.13.5': 25]
builtin.each { version, count ->
    String t = "${version}-debian-12-amd64"
    assert log =~ /(?m)${java.util.regex.Pattern.quote(t)} +planned/
    def plan = new JsonSlurper().parse(new File(repo, "target/python-runtime/${t}/plan.json"))
    List names = plan.builtinModules*.value
    assert names.size() == count
    assert names.contains('_sha2') == (version != '3.11.2') && names.contains('spwd') == (version == '3.11.2')
    // What verify required of each, with why: crypt only up to 3.12.
    assert plan.verifyModules*.value.contains('crypt') == (version == '3.11.2')
}
assert log =~ /(?m)PASS +embed /
// The archetype's catalog builds the accelerators in (Modules/Setup.local) and links with -z now (3.11.2's 27
// modules: the workflow job case).
assert log =~ /(?m)PASS +builtin .*: 25 modules: array _bisect/
assert log =~ /(?m)PASS +elf-bindnow /
// Ubuntu 24.04's targets are skipped for want of the image (unless a machine has heroku/heroku:24-build), arm64's here.
assert log =~ /3\.13\.5-ubuntu-24\.04-amd64 +(skipped|planned)/
assert log =~ /3\.11\.2-debian-12-arm64 +skipped/

// 4. The matrix: both versions on the host distro and Ubuntu 24.04, on both arches; offline, the repository not asked.
assert new File(basedir, 'build.log').text.contains('Maven is offline (-o): s3://my-bucket/runtimes not asked; every selected target gets a job')
def matrix = new JsonSlurper().parse(new File(repo, 'target/python-runtime/matrix.json'))
assert matrix.include.size() == 8
assert matrix.include.find { it.target == '3.13.5-ubuntu-24.04-arm64' }.runner == 'ubuntu-24.04-arm'
return true
