package dev.pyruntime.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyruntime.flags.Diagnostic;
import dev.pyruntime.flags.Flag;
import dev.pyruntime.flags.RecordedFlags;
import dev.pyruntime.flags.VendorFlags;
import dev.pyruntime.manifest.Manifest;
import dev.pyruntime.manifest.ManifestLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real catalog's flag policy applied to what dpkg-buildflags prints on each distro (recorded outputs), for a
 * 3.13 and a 3.11 target: hardening reaches the build, policy lands where it should, nothing is doubled.
 */
class CatalogPolicyTest {
    private static final String BUILD_DIR = "/work/target/python-runtime/t/build";
    private static Manifest catalog;
    private static Map<String, VendorFlags> recorded;

    @BeforeAll
    static void load() throws Exception {
        catalog = ManifestLoader.load(Path.of("../manifests/python.yaml"));
        recorded = RecordedFlags.load();
    }

    private static BuildPlan plan(String version, String distro, List<String> profiles) {
        Target target = TargetSelector.expand(catalog).stream()
                .filter(t -> t.id().equals(version + "-" + distro + "-amd64")).findFirst().orElseThrow();
        EnvironmentFacts facts = new EnvironmentFacts("container", "recorded " + distro, "x86_64-linux-gnu",
                recorded.get(distro));
        return Planner.plan(catalog, target, profiles, facts, BUILD_DIR, "test");
    }

    private static List<String> values(BuildPlan plan, String variable) {
        return plan.flags().get(variable).stream().map(Flag::value).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"debian-12", "debian-13", "ubuntu-22.04", "ubuntu-24.04"})
    void hardeningAndPolicyReachTheBuild(String distro) {
        BuildPlan plan = plan("3.13.5", distro, List.of());
        VendorFlags vendor = recorded.get(distro);
        List<String> cflags = values(plan, "EXTRA_CFLAGS");
        List<String> cppflags = values(plan, "CPPFLAGS");
        List<String> ldflags = values(plan, "LDFLAGS");

        // CPPFLAGS reach the build (the published recipes drop them, leaving FORTIFY off).
        assertEquals(vendor.tokens(dev.pyruntime.flags.FlagKind.CPPFLAGS), cppflags);
        assertTrue(cppflags.stream().anyMatch(f -> f.startsWith("-D_FORTIFY_SOURCE=")), cppflags.toString());
        assertTrue(cflags.contains("-fstack-protector-strong"), cflags.toString());
        assertTrue(ldflags.contains("-Wl,-z,relro"), ldflags.toString());

        // dpkg's prefix map points at the build directory, not where dpkg-buildflags ran.
        assertTrue(cflags.contains("-ffile-prefix-map=" + BUILD_DIR + "=."), cflags.toString());
        assertTrue(cflags.stream().noneMatch(f -> f.contains(RecordedFlags.CWD)), cflags.toString());

        // No flag twice in a set (Ubuntu 22.04 prints -flto=auto -ffat-lto-objects twice; Ubuntu 24.04 already has
        // the frame-pointer flags the catalog adds for 3.12+).
        for (String var : List.of("EXTRA_CFLAGS", "CPPFLAGS", "LDFLAGS")) {
            List<String> v = values(plan, var);
            assertEquals(v.stream().distinct().toList(), v, var + " has duplicates");
        }

        // Frame pointers for 3.12+, labelled with the override that asked for them (or dpkg, where it already does).
        assertTrue(cflags.contains("-fno-omit-frame-pointer") && cflags.contains("-mno-omit-leaf-frame-pointer"), cflags.toString());
        Flag fp = plan.flags().get("EXTRA_CFLAGS").stream().filter(f -> f.value().equals("-fno-omit-frame-pointer")).findFirst().orElseThrow();
        assertTrue(fp.origin().startsWith(distro.equals("ubuntu-24.04") ? "dpkg-buildflags" : "overrides[11] (python.yaml:"), fp.origin());

        // The relocation rpath the plugin adds for --enable-shared; no stripping at the link: the catalog separates
        // the debug information after it (archive.symbols: separate), and a stripping link would leave none.
        assertEquals("-Wl,-rpath,$ORIGIN/../lib", ldflags.get(ldflags.size() - 1));
        assertTrue(ldflags.stream().noneMatch(f -> f.contains("strip")), ldflags.toString());
        assertNotNull(plan.archive().symbols(), "the catalog ships debug symbols beside each archive");
        assertNull(dev.pyruntime.compile.DebugSymbols.conflict(plan));

        // --with-lto owns LTO: no vendor -flto survives on Ubuntu, so no vendor-lto warning.
        assertTrue(cflags.stream().noneMatch(f -> f.startsWith("-flto") || f.equals("-ffat-lto-objects")), cflags.toString());
        assertTrue(ldflags.stream().noneMatch(f -> f.startsWith("-flto") || f.equals("-ffat-lto-objects")), ldflags.toString());
        assertTrue(plan.diagnostics().stream().noneMatch(Diagnostic::isWarning), plan.diagnostics().toString());

        assertEquals("--build=x86_64-linux-gnu", plan.configure().get(0).value());
        // A release build makes the test modules for PGO's training run (cleanup removes them); a quick one does not.
        assertTrue(plan.configure().stream().noneMatch(f -> f.value().equals("--disable-test-modules")));
        assertTrue(plan("3.13.5", distro, List.of("quick")).configure().stream()
                .anyMatch(f -> f.value().equals("--disable-test-modules")));
        assertTrue(plan.cleanup().contains("lib/python*/lib-dynload/_test*"), plan.cleanup().toString());
        assertEquals("python-3.13.5-" + distro + "-amd64.tar.zst", plan.archive().name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"debian-12", "debian-13", "ubuntu-22.04", "ubuntu-24.04"})
    void noFramePointerOverrideBefore312(String distro) {
        BuildPlan plan = plan("3.11.2", distro, List.of());
        List<String> cflags = values(plan, "EXTRA_CFLAGS");
        boolean vendorHasThem = recorded.get(distro).tokens(dev.pyruntime.flags.FlagKind.CFLAGS).contains("-fno-omit-frame-pointer");
        assertEquals(vendorHasThem, cflags.contains("-fno-omit-frame-pointer"), cflags.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"debian-12", "debian-13"})
    void debian13HasItsOwnHardening(String distro) {
        List<String> cflags = values(plan("3.13.5", distro, List.of()), "EXTRA_CFLAGS");
        boolean trixie = distro.equals("debian-13");
        for (String f : List.of("-fstack-clash-protection", "-fcf-protection", "-Werror=implicit-function-declaration")) {
            assertEquals(trixie, cflags.contains(f), f + " in " + cflags);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"debian-12", "ubuntu-22.04"})
    void ubuntu2204DuplicatesAreDroppedAndSaid(String distro) {
        BuildPlan plan = plan("3.13.5", distro, List.of());
        long dupNotes = plan.diagnostics().stream().filter(d -> d.check().equals("duplicate-flag")).count();
        assertEquals(distro.equals("ubuntu-22.04"), dupNotes > 0, plan.diagnostics().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"debian-12", "debian-13", "ubuntu-22.04", "ubuntu-24.04"})
    void releaseKeepsCPythonsO3AndLinksTheInterpreterStaticallyFrom311(String distro) {
        for (String version : List.of("3.10.20", "3.11.2", "3.13.5", "3.14.6")) {
            BuildPlan plan = plan(version, distro, List.of());
            List<String> cflags = values(plan, "EXTRA_CFLAGS");
            assertTrue(cflags.stream().noneMatch(f -> f.matches("-O[0-9s]?")), version + ": " + cflags);
            BuildPlan.TracedValue link = plan.make().get("LINK_PYTHON_OBJS");
            if (version.equals("3.10.20")) {
                assertEquals(null, link, "3.10's Makefile has no LINK_PYTHON_OBJS");
            } else {
                assertEquals("$(LIBRARY_OBJS)", link.value());
                assertTrue(link.origin().startsWith("overrides[0] (python.yaml:"), link.origin());
            }
            // Still a shared build: libpython3.X.so is built and shipped.
            assertTrue(plan.configure().stream().anyMatch(f -> f.value().equals("--enable-shared")));
            assertTrue(plan.diagnostics().stream().noneMatch(Diagnostic::isWarning), plan.diagnostics().toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"debian-12", "debian-13", "ubuntu-22.04", "ubuntu-24.04"})
    void theAcceleratorsAreBuiltInFrom311(String distro) {
        assertEquals(List.of(), plan("3.10.20", distro, List.of()).builtinModules(), "3.10 has no Setup.stdlib.in");
        for (String version : List.of("3.11.2", "3.13.5", "3.14.6")) {
            List<Flag> builtin = plan(version, distro, List.of()).builtinModules();
            List<String> names = builtin.stream().map(Flag::value).toList();
            assertTrue(names.containsAll(List.of("_json", "_pickle", "_struct", "_random", "math")), names.toString());
            // None that would make libpython3.X.so link another library.
            assertTrue(names.stream().noneMatch(List.of("zlib", "binascii", "pyexpat", "_ssl", "_hashlib", "_bz2", "_lzma",
                    "_sqlite3", "_ctypes", "readline", "_curses", "_uuid", "_gdbm", "_dbm", "_crypt")::contains), names.toString());
            assertTrue(builtin.stream().allMatch(f -> f.origin().matches("overrides\\[[1-5]\\] \\(python\\.yaml:\\d+\\)")),
                    builtin.toString());
            assertEquals(names.stream().distinct().toList(), names);
            // Each series' own names (CatalogSeriesTest holds them against the releases' Setup.stdlib.in).
            boolean is311 = version.startsWith("3.11.");
            assertEquals(is311, names.contains("_sha256") && names.contains("_sha512"), version + ": " + names);
            assertEquals(!is311, names.contains("_sha2"), version + ": " + names);
            assertEquals(is311, names.contains("spwd"), version + ": " + names);
            assertEquals(!version.startsWith("3.14."), names.contains("_opcode") && names.contains("_datetime"), version + ": " + names);
            assertFalse(names.contains("_hmac"), version + ": " + names);
        }
        // The recipes' build loads every module from lib-dynload, as theirs do.
        assertEquals(List.of(), plan("3.11.2", distro, List.of("recipe")).builtinModules());
    }

    @ParameterizedTest
    @ValueSource(strings = {"debian-12", "debian-13", "ubuntu-22.04", "ubuntu-24.04"})
    void pgoTrainingLeavesOutTheExpatTestsOnlyWhereDebian12sExpatFailsThem(String distro) {
        for (String version : List.of("3.11.2", "3.13.5", "3.14.6")) {
            for (List<String> profiles : List.of(List.<String>of(), List.of("recipe"))) {
                BuildPlan.TracedValue task = plan(version, distro, profiles).make().get("PROFILE_TASK");
                boolean expected = distro.equals("debian-12") && !version.startsWith("3.11.");
                assertEquals(expected, task != null, version + " " + distro + " " + profiles);
                if (expected) {
                    assertTrue(task.value().startsWith("-m test --pgo --timeout=$(TESTTIMEOUT) -x test_xml_etree"), task.value());
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"debian-12", "debian-13", "ubuntu-22.04", "ubuntu-24.04"})
    void releaseLinkCountsMoreOfTheProfileAsHotAndOnlyTheReleaseBuildDoes(String distro) {
        for (String version : List.of("3.10.20", "3.11.2", "3.13.5", "3.14.6")) {
            BuildPlan.TracedValue release = plan(version, distro, List.of()).make().get("LDFLAGS_NODIST");
            assertEquals("--param=hot-bb-count-ws-permille=998 --param=inline-unit-growth=80", release.value(), version);
            assertTrue(release.origin().startsWith("build.make"), release.origin());
            // Neither the recipes' baseline nor the quick build (no profile, no LTO) links with it.
            for (String profile : List.of("recipe", "quick")) {
                assertEquals("", plan(version, distro, List.of(profile)).make().get("LDFLAGS_NODIST").value(),
                        version + " " + profile);
            }
            // A link flag only: it is in no flag set a consumer's extension build inherits.
            BuildPlan plan = plan(version, distro, List.of());
            for (String set : List.of("EXTRA_CFLAGS", "CPPFLAGS", "LDFLAGS")) {
                assertTrue(values(plan, set).stream().noneMatch(f -> f.startsWith("--param")), set);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"debian-12", "ubuntu-24.04"})
    void recipeProfileIsTheRecipesBuild(String distro) {
        BuildPlan release = plan("3.11.2", distro, List.of());
        BuildPlan recipe = plan("3.11.2", distro, List.of("recipe"));
        List<String> cflags = values(recipe, "EXTRA_CFLAGS");
        assertEquals("-O2", cflags.get(cflags.size() - 1), "after CPython's -O3, as the recipes' EXTRA_CFLAGS");
        assertEquals("$(BLDLIBRARY)", recipe.make().get("LINK_PYTHON_OBJS").value());
        assertEquals(release.configure(), recipe.configure());
        assertEquals(values(release, "CPPFLAGS"), values(recipe, "CPPFLAGS"));
        // The -O2 is reported, as accepted (info), not as a warning.
        assertTrue(recipe.diagnostics().stream().anyMatch(d -> d.check().equals("optimization-level") && !d.isWarning()),
                recipe.diagnostics().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"debian-12", "ubuntu-24.04"})
    void quickProfileDropsPgoLtoAndTheTestModulesOnly(String distro) {
        BuildPlan release = plan("3.13.5", distro, List.of());
        BuildPlan quick = plan("3.13.5", distro, List.of("quick"));
        List<String> rel = release.configure().stream().map(Flag::value).toList();
        List<String> q = quick.configure().stream().map(Flag::value).toList();
        assertTrue(rel.contains("--enable-optimizations") && rel.contains("--with-lto"));
        assertFalse(q.contains("--enable-optimizations") || q.contains("--with-lto"), q.toString());
        // Without PGO nothing trains on the test suite: its modules are not built (an override for quick).
        List<String> expected = new java.util.ArrayList<>(rel.stream()
                .filter(a -> !a.equals("--enable-optimizations") && !a.equals("--with-lto")).toList());
        expected.add("--disable-test-modules");
        assertEquals(expected, q);
        assertEquals(release.flags(), quick.flags());
        assertEquals(List.of("quick"), quick.profiles());
        assertFalse(release.fingerprint().equals(quick.fingerprint()));
    }
}
