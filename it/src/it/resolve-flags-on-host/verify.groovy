// resolve-flags plans exactly the targets this machine can build, and each plan holds what this machine's
// dpkg-architecture and dpkg-buildflags answer, then the manifest's additions, each with its origin.
import groovy.json.JsonSlurper

/** Runs a command (an argument list, no shell) in dir the way the plugin does, and returns its stdout. */
String run(List<String> command, File dir) {
    // The plugin does not pass DEB_* or *FLAGS variables on to dpkg-buildflags; neither do we.
    def env = System.getenv().findAll { k, v -> !(k.startsWith('DEB_') || k in ['CFLAGS', 'CPPFLAGS', 'LDFLAGS', 'CXXFLAGS']) }
            .collect { k, v -> "$k=$v".toString() } + ['LC_ALL=C.UTF-8']
    def proc = command.execute(env, dir)
    def out = new StringBuilder()
    def err = new StringBuilder()
    proc.waitForProcessOutput(out, err)
    assert proc.exitValue() == 0: "${command} failed (exit ${proc.exitValue()}): ${err}"
    return out.toString().trim()
}

List<String> values(List flags) { flags.collect { it.value } }

File log = new File(basedir, 'build.log')
assert log.isFile()
List<String> lines = log.readLines()
File manifest = new File(basedir, 'python.yaml')
List<String> manifestLines = manifest.readLines()

// This machine: the case plans <release>-debian-12-<host arch> and skips the rest.
String hostArch = run(['dpkg', '--print-architecture'], basedir)
assert hostArch in ['amd64', 'arm64']: "this case needs an amd64 or arm64 machine, this one is ${hostArch}"
String otherArch = hostArch == 'amd64' ? 'arm64' : 'amd64'
assert new File('/etc/os-release').text =~ /(?m)^VERSION_ID="?12"?$/: 'this case needs a Debian 12 machine'

List<String> versions = ['3.13.5', '3.11.2']
List<String> planned = versions.collect { "${it}-debian-12-${hostArch}".toString() }
List<String> skipped = versions.collectMany { v ->
    ["${v}-debian-12-${otherArch}", "${v}-ubuntu-24.04-amd64", "${v}-ubuntu-24.04-arm64"]*.toString()
}

// plan.json exists for the planned targets only, and nothing else was written.
File outDir = new File(basedir, 'target/python-runtime')
assert outDir.isDirectory()
assert outDir.list().toList().toSorted() == planned.toSorted()
planned.each { assert new File(outDir, "${it}/plan.json").isFile() }

// The target table: planned targets without a reason, skipped ones with theirs.
assert lines.contains('[INFO] Targets: 2 planned, 6 skipped, 0 excluded')
planned.each { id ->
    assert lines.any { it ==~ /\[INFO\]\s+\Q${id}\E\s+planned\s*/ }: "no 'planned' line for ${id}"
}
skipped.each { id ->
    String line = lines.find { it ==~ /\[INFO\]\s+\Q${id}\E\s+skipped\s+\S.*/ }
    assert line != null: "no 'skipped' line with a reason for ${id}"
    if (id.endsWith("-ubuntu-24.04-${otherArch}")) {
        assert line.endsWith("this machine is ${hostArch}, the target's container (heroku/heroku:24-build) needs " +
                "${otherArch} (the manifest's 'cross' does not let another arch cross-compile ${otherArch})"): line
    } else if (id.contains('-ubuntu-')) {
        // Every target was selected, so a container target without its image (or without an engine) is skipped,
        // saying what to pull or install; named with -Dpython-runtime.targets it would fail.
        assert line.contains("the build image 'heroku/heroku:24-build' is not on this machine")
                || line.contains('needs a container engine'): line
    } else {
        assert line.endsWith("this machine is ${hostArch}, the target needs ${otherArch} (the manifest's 'cross' does " +
                "not let another arch cross-compile ${otherArch})"): line
    }
}

// What this machine says, asked the same way the plugin asks.
String triplet = run(['dpkg-architecture', '-qDEB_BUILD_GNU_TYPE'], basedir)
assert triplet ==~ /[a-z0-9_]+-[a-z0-9_]+-[a-z0-9_]+/
Map<String, List<String>> dpkg = ['CFLAGS', 'CPPFLAGS', 'LDFLAGS'].collectEntries { v ->
    [(v): run(['dpkg-buildflags', '--get', v], basedir).split(/\s+/).findAll { it }]
}
String cwd = basedir.canonicalPath
assert dpkg.CFLAGS.contains("-ffile-prefix-map=${cwd}=.".toString()): "dpkg-buildflags CFLAGS: ${dpkg.CFLAGS}"

// Where the manifest's overrides are: overrides[N] (python.yaml:LINE) names them.
List<Integer> overrideLines = manifestLines.findIndexValues { it ==~ /\s+- when:.*/ }.collect { (it as int) + 1 }
assert overrideLines.size() == 2
String framePointerOrigin = "overrides[0] (python.yaml:${overrideLines[0]})"
String asNeededOrigin = "overrides[1] (python.yaml:${overrideLines[1]})"
assert manifestLines[overrideLines[0] - 1].contains('">=3.12"')

String rpath = '-Wl,-rpath,$ORIGIN/../lib'
def shas = [
    '3.13.5': '93e583f243454e6e9e4588ca2c2662206ad961659863277afcdb96801647d640',
    '3.11.2': '2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849',
]

planned.each { id ->
    String version = id.split('-')[0]
    File planFile = new File(outDir, "${id}/plan.json")
    def plan = new JsonSlurper().parse(planFile)

    assert plan.schema == 1
    assert plan.target.id == id
    assert plan.target.version == version
    assert plan.target.distro == 'debian-12'
    assert plan.target.arch == hostArch
    assert plan.profiles == ['quick']
    assert plan.source.sha256 == shas[version]
    assert plan.environment.executor == 'host'
    assert plan.environment.buildTriplet == triplet
    assert plan.archive.name == "python-${version}-debian-12-${hostArch}.tar.zst".toString()
    assert plan.fingerprint ==~ /[0-9a-f]{64}/
    assert lines.any { it.startsWith("[INFO] ${id} on host debian-12/${hostArch}, profile quick,") && it.endsWith("fingerprint ${plan.fingerprint.substring(0, 12)}") }
    assert lines.contains("[INFO]   -> ${planFile.canonicalPath}".toString()) || lines.contains("[INFO]   -> ${planFile.absolutePath}".toString())

    String buildDir = plan.buildDir
    assert new File(buildDir).canonicalPath == new File(outDir, "${id}/build").canonicalPath

    // configure: --build from dpkg-architecture first; the quick profile took out PGO and LTO.
    assert plan.configure[0].value == "--build=${triplet}".toString()
    assert plan.configure[0].origin.startsWith('dpkg-architecture')
    assert values(plan.configure) == ["--build=${triplet}", "--prefix=/tmp/python-runtime/${id}", '--enable-shared',
                                      '--without-ensurepip']*.toString()
    assert !values(plan.configure).contains('--enable-optimizations')
    assert !values(plan.configure).contains('--with-lto')

    assert plan.flags.keySet().toList() == ['EXTRA_CFLAGS', 'CPPFLAGS', 'LDFLAGS']

    // CPPFLAGS: dpkg-buildflags' own, fortified.
    assert values(plan.flags.CPPFLAGS) == dpkg.CPPFLAGS
    def fortify = plan.flags.CPPFLAGS.find { it.value == '-D_FORTIFY_SOURCE=2' }
    assert fortify != null && fortify.origin.startsWith('dpkg-buildflags')

    // EXTRA_CFLAGS: dpkg-buildflags' CFLAGS, the prefix map pointed at the build directory, then the manifest's.
    List<String> vendorCflags = dpkg.CFLAGS.collect { it == "-ffile-prefix-map=${cwd}=.".toString() ? "-ffile-prefix-map=${buildDir}=.".toString() : it }
    List<String> manifestCflags = version == '3.13.5' ? ['-fno-omit-frame-pointer'] : []
    assert values(plan.flags.EXTRA_CFLAGS) == vendorCflags + manifestCflags
    plan.flags.EXTRA_CFLAGS.take(vendorCflags.size()).each { assert it.origin.startsWith('dpkg-buildflags'): it }
    def framePointer = plan.flags.values().flatten().findAll { it.value == '-fno-omit-frame-pointer' }
    if (version == '3.13.5') {
        assert framePointer*.origin == [framePointerOrigin]
    } else {
        assert framePointer.isEmpty(): "3.11.2 is not >=3.12 but got ${framePointer}"
    }

    // LDFLAGS: dpkg-buildflags', the override's, then the relocation rpath --enable-shared needs, last.
    assert values(plan.flags.LDFLAGS) == dpkg.LDFLAGS + ['-Wl,--as-needed', rpath]
    assert plan.flags.LDFLAGS.find { it.value == '-Wl,--as-needed' }.origin == asNeededOrigin
    assert plan.flags.LDFLAGS[-1].value == rpath
    assert plan.flags.LDFLAGS[-1].origin.startsWith('plugin: --enable-shared')

    // The manifest accepts dpkg's -O2: reported, not warned about.
    assert plan.diagnostics.every { !it.warning }
}

// Accepted findings are not warnings; the plugin warned about nothing.
assert !lines.any { it.startsWith('[WARNING]') && (planned + skipped).any { id -> it.contains(id) } }
assert lines.any { it.contains('BUILD SUCCESS') }
return true
