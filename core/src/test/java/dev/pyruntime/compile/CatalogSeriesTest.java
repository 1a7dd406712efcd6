package dev.pyruntime.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.pyruntime.RecordingConsole;
import dev.pyruntime.UserError;
import dev.pyruntime.flags.Flag;
import dev.pyruntime.flags.RecordedFlags;
import dev.pyruntime.flags.VendorFlags;
import dev.pyruntime.manifest.Manifest;
import dev.pyruntime.manifest.ManifestLoader;
import dev.pyruntime.manifest.Release;
import dev.pyruntime.plan.BuildPlan;
import dev.pyruntime.plan.EnvironmentFacts;
import dev.pyruntime.plan.Planner;
import dev.pyruntime.plan.Target;
import dev.pyruntime.plan.TargetSelector;
import dev.pyruntime.source.AptSources;
import dev.pyruntime.source.SourceFetcher;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every target of both manifests we ship (the catalog and the archetype's), in every profile, planned and held against
 * the real release it builds: its builtinModules against the release's own {@code Modules/Setup.stdlib.in}, its make
 * variables against {@code Makefile.pre.in}, its configure options against what {@code configure} knows
 * ({@code --enable-option-checking=fatal} rejects the rest), and every module verify requires against the release's
 * standard library. A name wrong for a series fails here in seconds instead of at a build's tenth minute. Every
 * release whose tarball this machine can fetch (through {@code apt-pool}; python.org is not reachable here) is
 * checked; they are cached in {@code target/real-sources}, as {@code RealSignatureTest} does.
 */
class CatalogSeriesTest {
    static final Path CACHE = Path.of("target/real-sources");
    static final Path CATALOG = Path.of("../manifests/python.yaml");
    static final Path ARCHETYPE = Path.of("../archetype/src/main/resources/archetype-resources/python.yaml");

    /** What the checks need of one release's source tree. */
    record Tree(String stdlibIn, String makefileIn, String configure, Set<String> lib, Path declared) {
    }

    private static final Map<String, Tree> FETCHED = new TreeMap<>();
    private static final Map<String, String> NOT_FETCHABLE = new TreeMap<>();
    private static Map<String, VendorFlags> recorded;

    @TempDir
    static Path dir;

    static List<Manifest> manifests() throws Exception {
        // The archetype's manifest with its generation-time property as a generated repo on Debian 12 has it.
        Path generated = dir.resolve("archetype-python.yaml");
        Files.writeString(generated, Files.readString(ARCHETYPE).replace("${hostDistro}", "debian-12"));
        return List.of(ManifestLoader.load(CATALOG), ManifestLoader.load(generated));
    }

    @BeforeAll
    static void fetchEveryRelease() throws Exception {
        AptSources apt = AptSources.system();
        assumeFalse(apt.baseUris().isEmpty(), "this machine has no apt archive configured: " + apt.notes());
        recorded = RecordedFlags.load();
        Map<String, Release> releases = new TreeMap<>();
        for (Manifest m : manifests()) {
            m.versions().forEach(r -> releases.putIfAbsent(r.version().toString(), r));
        }
        SourceFetcher fetcher = new SourceFetcher(CACHE, Path.of("../manifests/keys"), false, apt, new RecordingConsole(false));
        for (Release r : releases.values()) {
            // Pinned by sha256; the signatures are RealSignatureTest's business.
            BuildPlan.SourceInfo source = new BuildPlan.SourceInfo(r.file(), r.sha256(), List.of("apt-pool"), null, null);
            Path tarball;
            try {
                tarball = fetcher.fetch(source);
            } catch (UserError e) {
                // Not in the pool is "not fetchable here"; a tarball that does not match its pin is the manifest's fault.
                assertFalse(e.getMessage().contains("sha256 mismatch"), e.getMessage());
                NOT_FETCHABLE.put(r.version().toString(), e.getMessage());
                continue;
            }
            FETCHED.put(r.version().toString(), read(tarball, "Python-" + r.version() + "/",
                    dir.resolve("declared-" + r.version())));
        }
        System.out.println("CatalogSeriesTest: releases checked " + FETCHED.keySet() + ", not fetchable here "
                + NOT_FETCHABLE.keySet());
    }

    /** The files of a release that say what it bundles ({@link BundledSources}), copied out under {@code declared}. */
    static final Set<String> DECLARING = Set.of(BundledSources.SPDX, "Modules/_decimal/libmpdec/mpdecimal.h",
            "Modules/expat/expat.h");

    static Tree read(Path tarball, String top, Path declared) throws IOException {
        String stdlibIn = null;
        String makefileIn = null;
        String configure = null;
        Set<String> lib = new HashSet<>();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(tarball));
             InputStream un = tarball.toString().endsWith(".xz") ? new XZCompressorInputStream(raw) : new GzipCompressorInputStream(raw);
             TarArchiveInputStream tar = new TarArchiveInputStream(un)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String name = e.getName().startsWith(top) ? e.getName().substring(top.length()) : e.getName();
                switch (name) {
                    case "Modules/Setup.stdlib.in" -> stdlibIn = new String(tar.readAllBytes(), StandardCharsets.UTF_8);
                    case "Makefile.pre.in" -> makefileIn = new String(tar.readAllBytes(), StandardCharsets.UTF_8);
                    case "configure" -> configure = new String(tar.readAllBytes(), StandardCharsets.UTF_8);
                    default -> {
                        if (DECLARING.contains(name)) {
                            Files.createDirectories(declared.resolve(name).getParent());
                            Files.write(declared.resolve(name), tar.readAllBytes());
                        }
                        if (name.startsWith("Lib/") && !e.isDirectory()) {
                            lib.add(name.substring(4));
                        }
                    }
                }
            }
        }
        return new Tree(stdlibIn == null ? "" : stdlibIn, makefileIn, configure, lib, declared);
    }

    /** Whether {@code module} (dotted) is in the release: a .py file or package under Lib/, or a C extension's rule. */
    static boolean hasModule(Tree release, String module) {
        String path = module.replace('.', '/');
        if (release.lib().contains(path + ".py") || release.lib().contains(path + "/__init__.py")) {
            return true;
        }
        // A C extension module (commented-out rules count: 3.11 builds those with setup.py).
        return !module.contains(".") && Pattern.compile("(?m)^#?@MODULE_[A-Z0-9_]+_TRUE@" + Pattern.quote(module) + "\\s")
                .matcher(release.stdlibIn()).find();
    }

    static boolean defines(Tree release, String variable) {
        return Pattern.compile("(?m)^" + Pattern.quote(variable) + "\\s*=").matcher(release.makefileIn()).find();
    }

    /** The test names after {@code -x} in a regrtest command line ({@code -m test --pgo -x test_a test_b}). */
    static List<String> excludedTests(String task) {
        List<String> words = List.of(task.trim().split("\\s+"));
        int x = words.indexOf("-x");
        return x < 0 ? List.of() : words.subList(x + 1, words.size()).stream().takeWhile(w -> !w.startsWith("-")).toList();
    }

    /** The configure options {@code configure} accepts, as its ac_user_opts list spells them (enable_shared, with_lto). */
    static Set<String> options(Tree release) {
        int start = release.configure().indexOf("ac_user_opts='");
        String list = release.configure().substring(start + 14, release.configure().indexOf('\'', start + 14));
        return Set.of(list.trim().split("\\s+"));
    }

    static String option(String arg) {
        String name = arg.replaceFirst("=.*", "").replaceFirst("^--(enable|disable|with|without)-", "");
        String kind = arg.startsWith("--enable-") || arg.startsWith("--disable-") ? "enable_" : "with_";
        return kind + name.replace('-', '_');
    }

    private static BuildPlan plan(Manifest m, Target t, List<String> profiles) {
        String triplet = t.arch().equals("arm64") ? "aarch64-linux-gnu" : "x86_64-linux-gnu";
        EnvironmentFacts facts = new EnvironmentFacts("container", "recorded " + t.distro().id(), triplet,
                recorded.get(t.distro().id()));
        return Planner.plan(m, t, profiles, facts, "/work/target/python-runtime/t/build", "test");
    }

    /** Each of the manifest's profiles alone, and none: what a user can ask for. */
    private static List<List<String>> profileChoices(Manifest m) {
        List<List<String>> out = new ArrayList<>();
        out.add(List.of());
        m.profiles().keySet().forEach(p -> out.add(List.of(p)));
        return out;
    }

    /**
     * What each release bundles, as its own sources say: the SBOM names mpdecimal and expat at the versions their
     * headers carry (3.11 has no SBOM of its own; 3.12 and later list HACL* too), and leaves out a library the build
     * takes from the distro.
     */
    @Test
    void everyReleaseNamesTheCodeItBundles() throws Exception {
        assumeFalse(FETCHED.isEmpty(), "no release could be fetched here: " + NOT_FETCHABLE);
        for (Map.Entry<String, Tree> r : FETCHED.entrySet()) {
            Path declared = r.getValue().declared();
            List<BundledSources.Bundled> bundled = BundledSources.read(declared, Set.of());
            Map<String, String> versions = new TreeMap<>();
            bundled.forEach(b -> versions.put(b.name(), b.version()));
            String mpd = java.util.regex.Pattern.compile("MPD_VERSION\\s+\"([^\"]+)\"").matcher(Files.readString(
                    declared.resolve("Modules/_decimal/libmpdec/mpdecimal.h"))).results().findFirst().orElseThrow()
                    .group(1);
            assertEquals(mpd, versions.get("mpdecimal"), r.getKey() + ": " + versions);
            String expat = Files.readString(declared.resolve("Modules/expat/expat.h"));
            assertTrue(expat.matches("(?s).*#\\s*define XML_MINOR_VERSION " + versions.get("expat").split("\\.")[1]
                    + "\n.*"), r.getKey() + ": " + versions);
            if (!r.getKey().startsWith("3.11.")) {
                assertTrue(versions.containsKey("hacl-star"), r.getKey() + ": " + versions);
            }
            assertFalse(BundledSources.read(declared, Set.of("libmpdec3", "libexpat1")).stream()
                    .anyMatch(b -> b.name().equals("mpdecimal") || b.name().equals("expat")), r.getKey());
        }
    }

    @Test
    void everyTargetOfBothManifestsFitsTheReleaseItBuilds() throws Exception {
        assertFalse(FETCHED.isEmpty(), "no release could be fetched: " + NOT_FETCHABLE);
        List<String> problems = new ArrayList<>();
        Map<String, Integer> planned = new LinkedHashMap<>();
        for (Manifest m : manifests()) {
            int n = 0;
            for (Target t : TargetSelector.expand(m)) {
                Tree release = FETCHED.get(t.release().version().toString());
                for (List<String> profiles : profileChoices(m)) {
                    BuildPlan plan = plan(m, t, profiles);
                    if (release == null) {
                        continue;
                    }
                    n++;
                    String where = m.fileName() + " " + t.id() + (profiles.isEmpty() ? "" : " (profile " + profiles.get(0) + ")");
                    try {
                        SetupLocal.render(plan.builtinModules(), SetupLocal.rules(release.stdlibIn()), t.id(),
                                t.release().version().toString());
                    } catch (UserError e) {
                        problems.add(where + ": " + e.getMessage());
                    }
                    plan.make().forEach((k, v) -> {
                        // Set there, or read there and left to the caller (LDFLAGS_NODIST, as CFLAGS_NODIST).
                        if (!defines(release, k) && !release.makefileIn().contains("$(" + k + ")")) {
                            problems.add(where + ": make variable " + k + " is neither set nor read in Makefile.pre.in");
                        }
                        // What the value refers to: $(VAR)s the Makefile defines, and tests of the release it leaves out.
                        Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)").matcher(v.value()).results()
                                .map(r -> r.group(1)).filter(ref -> !defines(release, ref))
                                .forEach(ref -> problems.add(where + ": " + k + " refers to $(" + ref + "), which "
                                        + "Makefile.pre.in does not define"));
                        if (k.equals("PROFILE_TASK")) {
                            excludedTests(v.value()).stream().filter(test -> !release.lib().contains("test/" + test + ".py")
                                            && !release.lib().contains("test/" + test + "/__init__.py"))
                                    .forEach(test -> problems.add(where + ": PROFILE_TASK leaves out " + test + ", which is "
                                            + "not a test of this release"));
                        }
                    });
                    Set<String> options = options(release);
                    plan.configure().stream().map(Flag::value).filter(a -> !a.startsWith("--build=") && !a.startsWith("--prefix="))
                            .filter(a -> a.startsWith("--") ? !options.contains(option(a))
                                    : !release.configure().contains(a.replaceFirst("=.*", "")))
                            .forEach(a -> problems.add(where + ": configure does not know " + a));
                    plan.verifyModules().stream().filter(f -> !hasModule(release, f.value()))
                            .forEach(f -> problems.add(where + ": verify requires " + f.value() + " (" + f.origin()
                                    + "), which this release does not have"));
                }
            }
            planned.put(m.fileName(), n);
        }
        System.out.println("CatalogSeriesTest: plans held against a fetched release, per manifest: " + planned);
        assertEquals(List.of(), problems);
        // Each manifest had plans held against a real release (the archetype's 3.11.2 and 3.13.5 are in the pool).
        assertTrue(planned.values().stream().allMatch(n -> n > 0), planned.toString());
    }

    @Test
    void profileTaskExclusionsAreRead() {
        assertEquals(List.of("test_xml_etree", "test_xml_etree_c"),
                excludedTests("-m test --pgo --timeout=$(TESTTIMEOUT) -x test_xml_etree test_xml_etree_c"));
        assertEquals(List.of("test_a"), excludedTests("-m test -x test_a --pgo"));
        assertEquals(List.of(), excludedTests("-m test --pgo"));
    }

    @Test
    void theChecksSeeWhatIsWrongForASeries() {
        for (Map.Entry<String, Tree> e : FETCHED.entrySet()) {
            String version = e.getKey();
            Tree r = e.getValue();
            if (r.stdlibIn().isEmpty()) {
                continue; // 3.10 and older: no Setup.stdlib.in
            }
            boolean is311 = version.startsWith("3.11.");
            boolean before313 = is311 || version.startsWith("3.12.");
            // The modules the per-series overrides exist for.
            assertEquals(is311, SetupLocal.rules(r.stdlibIn()).containsKey("_sha256"), version);
            assertEquals(!is311, SetupLocal.rules(r.stdlibIn()).containsKey("_sha2"), version);
            assertEquals(before313, SetupLocal.rules(r.stdlibIn()).containsKey("spwd"), version);
            assertEquals(before313, hasModule(r, "crypt"), version);
            assertEquals(version.startsWith("3.14."), hasModule(r, "compression.zstd"), version);
            assertTrue(hasModule(r, "xml.parsers.expat") && hasModule(r, "_uuid") && !hasModule(r, "no_such_module"), version);
            assertTrue(options(r).contains("enable_shared") && !options(r).contains("enable_no_such_thing"), version);
            assertTrue(defines(r, "LIBRARY_OBJS") && defines(r, "TESTTIMEOUT") && !defines(r, "NO_SUCH_VARIABLE"), version);
            assertTrue(r.lib().contains("test/test_xml_etree.py") && !r.lib().contains("test/test_no_such.py"), version);
            if (!is311) {
                UserError wrong = assertThrows(UserError.class, () -> SetupLocal.render(
                        List.of(new Flag("_sha256", "test")), SetupLocal.rules(r.stdlibIn()), "t", version));
                assertTrue(wrong.getMessage().contains("did you mean '_sha2'?"), wrong.getMessage());
            }
        }
    }
}
