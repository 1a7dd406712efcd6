package dev.pyruntime.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pyruntime.plan.BuildPlan;
import dev.pyruntime.plan.PlanJson;
import dev.pyruntime.compile.BuildOnlyFlags;
import dev.pyruntime.compile.BuildPaths;
import dev.pyruntime.compile.CPythonBuild;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The build's relocate.py against the real files of installed trees (src/test/resources/installed/&lt;version&gt;: each file
 * relocate.py rewrites, as the catalog's builds installed them before relocation, and {@code plan.json}, the plan they
 * were built from). Each is copied to a path with a space, relocated, and then read the way
 * consumers read it: sysconfig data by Python, {@code .pc} files by the real pkg-config, the Makefile by make,
 * {@code python3.X-config} by sh, scripts through their new shebang. verify's own checks then pass on the relocated
 * tree and fail on the original, so they can tell the two apart.
 */
class RelocatedTreeTest {
    static final Path FIXTURES = Path.of("src/test/resources/installed");
    static final ObjectMapper JSON = new ObjectMapper();
    /** Debian's own python3 (python3-setuptools brings it), standing in for the staged interpreter. */
    static final String PYTHON = "/usr/bin/python3";
    /** Where the fixtures' builds had ccache's compiler links (their CXX is /usr/lib/ccache/g++). */
    static final Path CCACHE = Path.of("/usr/lib/ccache");

    @TempDir
    Path tmp;

    static Stream<String> versions() throws IOException {
        try (Stream<Path> s = Files.list(FIXTURES)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    record Fixture(String version, String series, String target, String prefix, BuildPlan plan) {
    }

    static Fixture fixture(String version) throws Exception {
        BuildPlan plan = PlanJson.read(FIXTURES.resolve(version).resolve("plan.json"));
        return new Fixture(version, plan.target().series(), plan.target().id(), plan.prefix(), plan);
    }

    /** The fixture's tree copied to {@code <tmp>/<dir>/tree} (not plan.json and README.txt, at its top). */
    Path copy(String version, String dir) throws IOException {
        Path from = FIXTURES.resolve(version);
        Path root = tmp.resolve(dir).resolve("tree");
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.sorted().toList()) {
                Path to = root.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else if (!p.getParent().equals(from)) {
                    Files.copy(p, to);
                    to.toFile().setExecutable(p.getFileName().toString().contains("-config")
                            || p.getParent().getFileName().toString().equals("bin"));
                }
            }
        }
        return root;
    }

    static String run(Path dir, Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", command) + ":\n" + out);
        return out;
    }

    static void relocate(Fixture f, Path root) throws Exception {
        run(root, Map.of(), CPythonBuild.relocateCommand(PYTHON, root, f.plan(), CCACHE).toArray(String[]::new));
    }

    static Path sysconfigData(Path root, String series) throws IOException {
        try (Stream<Path> s = Files.list(root.resolve("lib/python" + series))) {
            return s.filter(p -> p.getFileName().toString().startsWith("_sysconfigdata_")).findFirst().orElseThrow();
        }
    }

    /** The sysconfig data's build_time_vars, as Python reads the file where it is. */
    static JsonNode vars(Path root, String series) throws Exception {
        Path file = sysconfigData(root, series);
        return JSON.readTree(run(root, Map.of(), PYTHON, "-I", "-c", "import json, runpy, sys; "
                + "print(json.dumps(runpy.run_path(sys.argv[1])['build_time_vars']))", file.toString()));
    }

    @ParameterizedTest
    @MethodSource("versions")
    void sysconfigNamesTheTreeAndKeepsEverythingElse(String version) throws Exception {
        Fixture f = fixture(version);
        Path root = copy(version, "un packed");
        JsonNode before = vars(root, f.series());
        relocate(f, root);
        JsonNode after = vars(root, f.series());
        List<String> buildOnly = BuildOnlyFlags.regexes(BuildPaths.placeholder(f.target()));
        assertEquals(names(before), names(after), "the same variables");
        for (Iterator<String> it = before.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            String was = before.get(name).asText();
            String now = after.get(name).asText();
            if (name.equals("CONFIG_ARGS")) {
                assertEquals(was, now, "CONFIG_ARGS is the record of the build, as it was");
                continue;
            }
            assertFalse(now.contains(f.prefix()), name + " = " + now);
            // What changed: the prefix, now the tree, the build-only tokens, now gone, and tools named through ccache's
            // links, now by name; nothing else.
            List<String> expected = Stream.of(was.replace(f.prefix(), root.toString()).split("\\s+"))
                    .filter(t -> !BuildOnlyFlags.matches(buildOnly, t))
                    .map(t -> t.startsWith(CCACHE + "/") ? t.substring(CCACHE.toString().length() + 1) : t).toList();
            assertEquals(expected, List.of(now.split("\\s+")), name);
        }
        assertEquals(root.resolve("include/python" + f.series()).toString(), after.get("INCLUDEPY").asText());
        assertEquals(root.toString(), after.get("prefix").asText());
        assertFalse(after.toString().contains(CCACHE.toString()), "no value names ccache's links");
        // Read as text without a file, as PyO3's cross-compile parser does, it still evaluates.
        run(root, Map.of(), PYTHON, "-I", "-c", "exec(open(__import__('sys').argv[1]).read(), {}); print('ok')",
                sysconfigData(root, f.series()).toString());
        assertTrue(before.get("LDSHARED").asText().contains("--strip-all") || f.plan().profiles().contains("quick"),
                "the fixture has something to drop: " + before.get("LDSHARED"));

        Check passed = RuntimeChecks.sysconfig(f.plan(), after, root);
        assertEquals(Check.Status.PASS, passed.status(), passed.detail());
        Check failed = RuntimeChecks.sysconfig(f.plan(), before, root);
        assertEquals(Check.Status.FAIL, failed.status());
        assertTrue(failed.detail().contains("INCLUDEPY is " + f.prefix() + "/include/python" + f.series()), failed.detail());
        assertTrue(failed.detail().contains("LDSHARED still has -Wl,-rpath,"), failed.detail());
        Check prefix = LayoutChecks.installPrefix(f.plan(), root);
        assertEquals(Check.Status.PASS, prefix.status(), prefix.detail());
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        out.sort(null);
        return out;
    }

    @ParameterizedTest
    @MethodSource("versions")
    void theOriginalTreeFailsVerifysPrefixCheck(String version) throws Exception {
        Fixture f = fixture(version);
        Path root = copy(version, "original");
        Check c = LayoutChecks.installPrefix(f.plan(), root);
        assertEquals(Check.Status.FAIL, c.status());
        assertTrue(c.detail().contains("lib/pkgconfig/python-" + f.series() + ".pc:2: prefix=" + f.prefix()), c.detail());
    }

    @ParameterizedTest
    @MethodSource("versions")
    void pkgConfigFindsTheTreeWhereverItIs(String version) throws Exception {
        Fixture f = fixture(version);
        Path root = copy(version, "un packed");
        relocate(f, root);
        Map<String, String> env = Map.of("PKG_CONFIG_PATH", root.resolve("lib/pkgconfig").toString());
        String cflags = run(root, env, "pkg-config", "--cflags", "python-" + f.series() + "-embed").strip();
        // pkg-config escapes the space; the path, normalised, is the tree's include directory.
        assertTrue(cflags.startsWith("-I"), cflags);
        Path include = Path.of(cflags.substring(2).replace("\\ ", " ")).normalize();
        assertEquals(root.resolve("include/python" + f.series()), include);
        String libs = run(root, env, "pkg-config", "--libs", "python-" + f.series() + "-embed").strip();
        assertTrue(libs.matches("-L.*/lib/pkgconfig/\\.\\./\\.\\./lib -lpython" + f.series() + "( .*)?"), libs);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void makeAndPythonConfigComputeThePrefix(String version) throws Exception {
        Fixture f = fixture(version);
        // make and CPython's python3.X-config split words at spaces: this tree's path has none.
        Path root = copy(version, "unpacked");
        relocate(f, root);
        Path makefile;
        try (Stream<Path> s = Files.list(root.resolve("lib/python" + f.series()))) {
            makefile = s.filter(p -> p.getFileName().toString().startsWith("config-")).findFirst().orElseThrow()
                    .resolve("Makefile");
        }
        String printed = run(tmp, Map.of(), "make", "--no-print-directory", "-s", "-f", makefile.toString(),
                "--eval", "python-runtime-print: ; @echo $(prefix) $(INCLUDEPY) $(LIBPL)", "python-runtime-print").strip();
        assertEquals(root + " " + root + "/include/python" + f.series() + " " + makefile.getParent(), printed);

        String includes = run(tmp, Map.of(), "sh", root.resolve("bin/python" + f.series() + "-config").toString(),
                "--includes").strip();
        assertEquals("-I" + root + "/include/python" + f.series() + " -I" + root + "/include/python" + f.series(), includes);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void scriptsRunTheInterpreterBesideThem(String version) throws Exception {
        Fixture f = fixture(version);
        Path root = copy(version, "un packed");
        relocate(f, root);
        // The interpreter beside the scripts: here the host's, which runs the script itself through the trampoline.
        Path python = root.resolve("bin/python" + f.series());
        Files.createSymbolicLink(python, Path.of(PYTHON));
        Path config;
        try (Stream<Path> s = Files.walk(root)) {
            config = s.filter(p -> p.getFileName().toString().equals("python-config.py")).findFirst().orElseThrow();
        }
        assertTrue(Files.readString(config).startsWith("#!/bin/sh\n"), "trampoline");
        String usage = run(tmp, Map.of(), config.toString(), "--help");
        assertTrue(usage.contains("Usage: " + config), usage);
        // 2to3 (3.10 to 3.12), through a link elsewhere, as a user's PATH directory would have it: realpath finds the tree.
        Path twoToThree = root.resolve("bin/2to3-" + f.series());
        if (Files.exists(twoToThree)) {
            Path link = Files.createSymbolicLink(tmp.resolve("2to3"), twoToThree);
            assertTrue(run(tmp, Map.of(), link.toString(), "--help").contains("Usage: 2to3"));
        }
    }

    @ParameterizedTest
    @MethodSource("versions")
    void buildDetailsArePep739Relative(String version) throws Exception {
        Fixture f = fixture(version);
        Path root = copy(version, "un packed");
        Path details = root.resolve("lib/python" + f.series() + "/build-details.json");
        relocate(f, root);
        if (!Files.exists(details)) {
            return; // before 3.14
        }
        JsonNode d = JSON.readTree(details.toFile());
        Path base = details.getParent().resolve(d.get("base_prefix").asText()).normalize();
        assertEquals(root, base);
        assertEquals(root.resolve("include/python" + f.series()), base.resolve(d.get("c_api").get("headers").asText()).normalize());
        assertFalse(d.get("libpython").has("static"), "the catalog's cleanup removes libpython3.X.a: not listed");
        try (Stream<Path> s = Files.list(details.getParent())) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith("_sysconfig_vars_")));
        }
    }
}
