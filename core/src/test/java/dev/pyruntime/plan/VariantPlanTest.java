package dev.pyruntime.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyruntime.Vocabulary;
import dev.pyruntime.env.HostInfo;
import dev.pyruntime.flags.Flag;
import dev.pyruntime.flags.RecordedFlags;
import dev.pyruntime.manifest.Manifest;
import dev.pyruntime.manifest.ManifestLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Variants (free-threaded, debug and their combination): which releases have them, how their targets and archives
 * are named, what their plans get and from where, and that the default build's names, plan and fingerprint stay
 * what they were before variants.
 */
class VariantPlanTest {
    private static final String BUILD_DIR = "/work/target/python-runtime/t/build";
    private static final String HEAD = String.join("\n",
            "schema: 1",
            "source: { url: \"https://example.invalid/{version}/{file}\" }",
            "distros:",
            "  debian-13: {}",
            "arches: [amd64]",
            "versions:",
            "  - { version: 3.12.11, file: Python-3.12.11.tar.xz, sha256: " + "a".repeat(64) + " }",
            "  - { version: 3.13.5, file: Python-3.13.5.tar.xz, sha256: " + "b".repeat(64) + " }",
            "");
    private static final String VARIANTS = String.join("\n",
            "variants:",
            "  freethreaded:",
            "    description: free-threaded (PEP 703), ABI flag t",
            "    versions: \">=3.13\"",
            "    configure: { add: [ --disable-gil ] }",
            "  debug:",
            "    configure: { add: [ --with-pydebug ] }",
            "    make: { PROFILE_TASK: \"-m test --pgo -j1\" }",
            "  freethreaded+debug: {}",
            "overrides:",
            "  - when: { variant: debug }",
            "    reason: a debug build is for finding bugs, not speed",
            "    configure: { remove: [ --enable-optimizations, --with-lto ] }",
            "  - when: { variant: default, version: 3.13.* }",
            "    cflags: { add: [ -fno-omit-frame-pointer ] }",
            "build:",
            "  configure: [ --enable-optimizations, --with-lto ]",
            "");

    private static Manifest manifest(String text) throws Exception {
        return ManifestLoader.parse(Path.of("python.yaml"), text);
    }

    private static Target target(Manifest m, String id) {
        return TargetSelector.expand(m).stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow();
    }

    private static BuildPlan plan(Manifest m, String id) throws Exception {
        EnvironmentFacts facts = new EnvironmentFacts("host", "recorded debian-13", "x86_64-linux-gnu",
                RecordedFlags.load().get("debian-13"));
        return Planner.plan(m, target(m, id), List.of(), facts, BUILD_DIR, "test");
    }

    private static Map<String, String> configure(BuildPlan plan) {
        return plan.configure().stream().collect(Collectors.toMap(Flag::value, Flag::origin, (a, b) -> a,
                java.util.LinkedHashMap::new));
    }

    @Test
    void eachReleaseHasTheVariantsItsVersionsAllowInManifestOrder() throws Exception {
        List<String> ids = TargetSelector.expand(manifest(HEAD + VARIANTS)).stream().map(Target::id).toList();
        // 3.12 has no free-threaded build, so neither has it the combination.
        assertEquals(List.of("3.12.11-debian-13-amd64", "3.12.11+debug-debian-13-amd64",
                "3.13.5-debian-13-amd64", "3.13.5+freethreaded-debian-13-amd64", "3.13.5+debug-debian-13-amd64",
                "3.13.5+freethreaded+debug-debian-13-amd64"), ids);
    }

    @Test
    void theDefaultBuildKeepsItsNamesAndEveryVariantGetsItsOwn() throws Exception {
        Manifest m = manifest(HEAD + VARIANTS);
        assertEquals("python-3.13.5-debian-13-amd64.tar.zst", Planner.archiveName(m, target(m, "3.13.5-debian-13-amd64")));
        assertEquals("python-3.13.5+freethreaded-debian-13-amd64.tar.zst",
                Planner.archiveName(m, target(m, "3.13.5+freethreaded-debian-13-amd64")));
        assertEquals("python-3.13.5+freethreaded+debug-debian-13-amd64.tar.zst",
                Planner.archiveName(m, target(m, "3.13.5+freethreaded+debug-debian-13-amd64")));
        List<String> names = TargetSelector.expand(m).stream().map(t -> Planner.archiveName(m, t)).toList();
        assertEquals(names.size(), names.stream().distinct().count(), "no two targets share an archive name: " + names);
        assertEquals("/tmp/python-runtime/3.13.5+debug-debian-13-amd64", plan(m, "3.13.5+debug-debian-13-amd64").prefix());
    }

    @Test
    void aDefaultPlanIsTheSameWithOrWithoutVariantsDeclared() throws Exception {
        BuildPlan without = plan(manifest(HEAD + "build:\n  configure: [ --enable-optimizations, --with-lto ]\n"
                + "overrides:\n  - when: { version: 3.13.* }\n    cflags: { add: [ -fno-omit-frame-pointer ] }\n"),
                "3.13.5-debian-13-amd64");
        BuildPlan with = plan(manifest(HEAD + VARIANTS), "3.13.5-debian-13-amd64");
        assertNull(with.target().variant(), "the default build's plan has no variant");
        assertEquals(List.copyOf(configure(without).keySet()), List.copyOf(configure(with).keySet()));
        assertEquals(without.flags().get("EXTRA_CFLAGS").stream().map(Flag::value).toList(),
                with.flags().get("EXTRA_CFLAGS").stream().map(Flag::value).toList());
        assertFalse(PlanJson.write(with).contains("\"variant\""), "nothing new in a default build's plan.json");
    }

    @Test
    void aVariantsChangesComeFromItsDeclarationAndOverridesCanSelectOnIt() throws Exception {
        Manifest m = manifest(HEAD + VARIANTS);
        BuildPlan ft = plan(m, "3.13.5+freethreaded-debian-13-amd64");
        assertEquals("freethreaded", ft.target().variant());
        assertEquals("variants.freethreaded (python.yaml:10)", configure(ft).get("--disable-gil"));
        assertTrue(configure(ft).containsKey("--enable-optimizations"), "the override for debug does not reach it");
        assertFalse(ft.flags().get("EXTRA_CFLAGS").stream().anyMatch(f -> f.value().equals("-fno-omit-frame-pointer")),
                "the override for the default variant does not reach it");

        BuildPlan both = plan(m, "3.13.5+freethreaded+debug-debian-13-amd64");
        Map<String, String> args = configure(both);
        // The parts' changes in the order it names them; an override for a part (debug) applies to it too.
        assertEquals("variants.freethreaded (python.yaml:10)", args.get("--disable-gil"));
        assertEquals("variants.debug (python.yaml:14)", args.get("--with-pydebug"));
        assertEquals("variants.debug (python.yaml:14)", both.make().get("PROFILE_TASK").origin());
        assertTrue(List.copyOf(args.keySet()).indexOf("--disable-gil") < List.copyOf(args.keySet()).indexOf("--with-pydebug"));
        assertFalse(args.containsKey("--with-lto"), "the override for debug applies to freethreaded+debug: " + args);

        BuildPlan debug = plan(m, "3.12.11+debug-debian-13-amd64");
        assertFalse(configure(debug).containsKey("--enable-optimizations"), configure(debug).toString());
        assertTrue(configure(debug).containsKey("--with-pydebug"));
    }

    @Test
    void targetGlobsTellVariantsApart() throws Exception {
        Manifest m = manifest(HEAD + VARIANTS);
        HostInfo host = new HostInfo("debian-13", "amd64");
        List<String> defaults = TargetSelector.select(m, List.of("3.13.5-*"), List.of(), host, Vocabulary.PLAIN).stream()
                .map(s -> s.target().id()).toList();
        assertEquals(List.of("3.13.5-debian-13-amd64"), defaults, "a version's glob selects its default build only");
        List<String> freethreaded = TargetSelector.select(m, List.of("*+freethreaded-*"), List.of(), host,
                Vocabulary.PLAIN).stream().map(s -> s.target().id()).toList();
        assertEquals(List.of("3.13.5+freethreaded-debian-13-amd64"), freethreaded);
    }

    @Test
    void theMatrixCarriesTheVariant() throws Exception {
        Manifest m = manifest(HEAD + VARIANTS);
        List<Matrix.Entry> jobs = Matrix.of(m, List.of("3.13.5*"), List.of(), new HostInfo("debian-13", "amd64"),
                Vocabulary.PLAIN);
        assertEquals(List.of("default", "freethreaded", "debug", "freethreaded+debug"),
                jobs.stream().map(Matrix.Entry::variant).toList());
    }
}
