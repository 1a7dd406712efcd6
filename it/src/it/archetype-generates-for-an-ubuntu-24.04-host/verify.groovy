import groovy.json.JsonSlurper
import org.yaml.snakeyaml.Yaml

File repo = new File(basedir, 'target/generated/ubuntu-runtimes')
String manifest = new File(repo, 'python.yaml').text
// One ubuntu-24.04 key (a duplicate key is an error in YAML), the host's.
assert manifest.readLines().count { it == '  ubuntu-24.04:' } == 1
def distros = new Yaml().load(manifest).distros
assert distros.keySet() as List == ['ubuntu-24.04'] && distros.'ubuntu-24.04'.executor == 'host'
assert new File(repo, 'README.md').text.contains('./mvnw verify -Dpython-runtime.profile=quick -Dpython-runtime.targets=3.11.2-ubuntu-24.04-amd64')

evaluate(new File(itSources, 'shared/validate-workflow.groovy'))(new File(repo, '.github/workflows/runtimes.yml'))

def matrix = new JsonSlurper().parse(new File(repo, 'target/python-runtime/matrix.json'))
assert matrix.include*.target as Set == ['3.13.5', '3.11.2'].collectMany { v ->
    ['amd64', 'arm64'].collect { a -> "${v}-ubuntu-24.04-${a}".toString() } } as Set
assert matrix.include.every { it.runner == [amd64: 'ubuntu-24.04', arm64: 'ubuntu-24.04-arm'][it.arch] }
// The runner is the target's own distro: no job container.
assert matrix.include.every { it.container == '' }
return true
