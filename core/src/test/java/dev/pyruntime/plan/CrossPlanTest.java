package dev.pyruntime.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyruntime.Vocabulary;
import dev.pyruntime.env.HostEnvironment;
import dev.pyruntime.env.HostInfo;
import dev.pyruntime.flags.DpkgBuildflags;
import dev.pyruntime.flags.Flag;
import dev.pyruntime.manifest.Manifest;
import dev.pyruntime.manifest.ManifestException;
import dev.pyruntime.manifest.ManifestLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross builds: which targets a machine plans through the manifest's {@code cross}, the target arch's answers from
 * the real {@code dpkg-architecture} and {@code dpkg-buildflags} of this machine, and what the plan makes of them
 * (triplets, configure arguments, packages, no PGO), each with its origin.
 */
class CrossPlanTest {
    private static final HostInfo AMD64 = new HostInfo("debian-12", "amd64");

    static Manifest manifest(String cross) throws Exception {
        return manifest("[amd64, arm64]", cross);
    }

    static Manifest manifest(String arches, String cross) throws Exception {
        return ManifestLoader.parse(Path.of("python.yaml"), String.join("\n",
                "schema: 1",
                "source: { url: \"https://example.invalid/{version}/{file}\" }",
                "distros:",
                "  debian-12: { packages: [ build-essential, dpkg-dev, libssl-dev, pkg-config, zlib1g-dev ] }",
                "  debian-13: { executor: container, image: python-runtime/debian-13-build }",
                "arches: " + arches,
                cross,
                "build:",
                "  configure: [ --enable-optimizations, --with-lto, --enable-shared ]",
                "versions:",
                "  - { version: 3.11.2, file: Python-3.11.2.tgz, sha256: " + "a".repeat(64) + " }",
                ""));
    }

    private static Map<String, String> states(Manifest m, HostInfo host) throws Exception {
        return TargetSelector.select(m, List.of(), List.of(), host, Vocabulary.PLAIN).stream().collect(Collectors.toMap(
                s -> s.target().id(), s -> s.state() + (s.reason().isEmpty() ? "" : ": " + s.reason())));
    }

    @Test
    void crossTargetsArePlannedOnlyOnTheArchThatCrossCompilesThem() throws Exception {
        Manifest m = manifest("cross: { arm64: { from: amd64 } }");
        Map<String, String> onAmd64 = states(m, AMD64);
        assertEquals("PLANNED", onAmd64.get("3.11.2-debian-12-amd64"));
        assertEquals("PLANNED: cross-compiled on amd64 (manifest 'cross'), without PGO",
                onAmd64.get("3.11.2-debian-12-arm64"));
        // A container runs this machine's arch: the cross toolchain goes in it.
        assertEquals("PLANNED: cross-compiled on amd64 (manifest 'cross'), without PGO",
                onAmd64.get("3.11.2-debian-13-arm64"));

        // An arm64 machine builds arm64 natively; amd64 is not cross-compiled anywhere.
        Map<String, String> onArm64 = states(m, new HostInfo("debian-12", "arm64"));
        assertEquals("PLANNED", onArm64.get("3.11.2-debian-12-arm64"));
        assertEquals("SKIPPED: this machine is arm64, the target needs amd64 (the manifest's 'cross' does not let "
                + "another arch cross-compile amd64)", onArm64.get("3.11.2-debian-12-amd64"));

        // Another arch than 'from' does not cross-compile arm64.
        Map<String, String> onRiscv = states(m, new HostInfo("debian-12", "riscv64"));
        assertEquals("SKIPPED: this machine is riscv64, the target needs arm64 (the manifest cross-compiles arm64 on "
                + "amd64 only)", onRiscv.get("3.11.2-debian-12-arm64"));

        // Without 'cross', as before: skipped, saying how to allow it.
        assertEquals("SKIPPED: this machine is amd64, the target needs arm64 (the manifest's 'cross' does not let "
                + "another arch cross-compile arm64)", states(manifest(""), AMD64).get("3.11.2-debian-12-arm64"));
    }

    @Test
    void aBadCrossSectionIsRefusedWithItsLineAndTheFix() throws Exception {
        assertRefused("cross: { riscv64: { from: amd64 } }", "python.yaml:7", "a cross set-up for arch 'riscv64', "
                + "which 'arches' does not list");
        assertRefused("cross: { arm64: { matrix: native } }", "python.yaml:7", "name the arch of the machine that "
                + "cross-compiles arm64 targets, such as 'from: amd64'");
        assertRefused("cross: { arm64: { from: arm64 } }", "python.yaml:7", "'arm64' is the target arch itself");
        assertRefused("cross: { arm64: { from: amd46 } }", "python.yaml:7", "unknown arch 'amd46'; did you mean 'amd64'?");
        assertRefused("cross: { arm64: { from: amd64, matrix: natve } }", "python.yaml:7",
                "'natve' is not a matrix choice: 'native' (CI builds arm64 targets on a runner of their own arch, with "
                        + "PGO) or 'cross'");
        assertRefused("cross: { arm64: { from: amd64, pgo: yes } }", "python.yaml:7", "unknown key 'pgo'");
        ManifestException e = assertThrows(ManifestException.class, () -> manifest("[amd64, mips64el]",
                "cross: { mips64el: { from: amd64 } }"));
        assertTrue(e.getMessage().contains("python.yaml:7") && e.getMessage().contains("python-runtime has no cross "
                + "set-up for mips64el (it knows the loader and triplet of amd64, arm64"), e.getMessage());
    }

    private static void assertRefused(String cross, String where, String what) {
        ManifestException e = assertThrows(ManifestException.class, () -> manifest(cross));
        assertTrue(e.getMessage().contains(where) && e.getMessage().contains(what), e.getMessage());
    }

    @Test
    void theTargetArchsAnswersComeFromThisMachinesDpkg(@TempDir Path dir) throws Exception {
        HostEnvironment host = new HostEnvironment(HostInfo.detect());
        Map<String, String> arch = DpkgBuildflags.architecture(host, dir, "arm64");
        assertEquals("amd64", arch.get("DEB_BUILD_ARCH"));
        assertEquals("aarch64-linux-gnu", arch.get("DEB_HOST_GNU_TYPE"));
        assertEquals("aarch64-linux-gnu", arch.get("DEB_HOST_MULTIARCH"));
        // dpkg-buildflags answers for the arch asked: hppa's toolchain has no PIE or stack protector in dpkg's
        // defaults, so its answer differs from this machine's own.
        assertEquals("yes", DpkgBuildflags.query(host, dir, "hardening=+all").features().get("hardening.pie"));
        assertEquals("no", DpkgBuildflags.query(host, dir, "hardening=+all", "hppa").features().get("hardening.pie"));
        assertTrue(assertThrows(dev.pyruntime.UserError.class, () -> DpkgBuildflags.architecture(host, dir, "vax"))
                .getMessage().contains("is vax an arch this dpkg knows"));

        Manifest m = manifest("cross: { arm64: { from: amd64 } }");
        EnvironmentFacts facts = EnvironmentFacts.read(host, dir, m.build(), "arm64");
        assertEquals(new EnvironmentFacts.Cross("amd64", "arm64", "aarch64-linux-gnu", "aarch64-linux-gnu"), facts.cross());
        assertNull(EnvironmentFacts.read(host, dir, m.build()).cross());
    }

    @Test
    void aCrossPlanConfiguresForTheTargetWithoutPgo() throws Exception {
        Manifest m = manifest("cross: { arm64: { from: amd64 } }");
        Target arm64 = TargetSelector.expand(m).stream().filter(t -> t.id().equals("3.11.2-debian-12-arm64")).findFirst()
                .orElseThrow();
        EnvironmentFacts.Cross cross = new EnvironmentFacts.Cross("amd64", "arm64", "aarch64-linux-gnu",
                "aarch64-linux-gnu");
        EnvironmentFacts facts = new EnvironmentFacts("host", "host debian-12/amd64", "x86_64-linux-gnu", null, cross);
        BuildPlan plan = Planner.plan(m, arm64, List.of(), facts, "/w/3.11.2-debian-12-arm64/build", "test");

        List<String> configure = plan.configure().stream().map(Flag::value).toList();
        assertEquals(List.of("--build=x86_64-linux-gnu", "--host=aarch64-linux-gnu",
                "--prefix=/tmp/python-runtime/3.11.2-debian-12-arm64",
                "--with-build-python=/w/3.11.2-debian-12-arm64/build/build-python/python",
                "ac_cv_file__dev_ptmx=yes", "ac_cv_file__dev_ptc=no", "ac_cv_buggy_getaddrinfo=no",
                "PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig",
                "--with-lto", "--enable-shared"), configure);
        Map<String, String> origin = plan.configure().stream().collect(Collectors.toMap(Flag::value, Flag::origin));
        assertEquals("dpkg-architecture -aarm64 (DEB_HOST_GNU_TYPE): cross: arm64 cross-compiled on amd64 (manifest "
                + "'cross')", origin.get("--host=aarch64-linux-gnu"));
        assertTrue(origin.get("PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")
                .contains("DEB_HOST_MULTIARCH"));
        assertTrue(plan.diagnostics().stream().anyMatch(d -> d.check().equals("cross-no-pgo")
                && d.message().startsWith("--enable-optimizations removed")), plan.diagnostics().toString());
        assertTrue(plan.buildsBuildPython());
        assertEquals(Path.of("/w/3.11.2-debian-12-arm64/build/build-python/python"), plan.buildPython());

        // The distro's packages (the build Python is a native build), its library -dev packages for the target arch,
        // the cross toolchain and QEMU.
        assertEquals(List.of("build-essential", "dpkg-dev", "libssl-dev", "pkg-config", "zlib1g-dev",
                "libssl-dev:arm64", "zlib1g-dev:arm64", "crossbuild-essential-arm64", "qemu-user-static"),
                plan.buildPackages());

        // A build Python given by the user: named with the setting that gave it, linked where the build would make
        // one (where it lives reaches no file of the runtime), and not built.
        BuildPlan given = Planner.plan(m, arm64, List.of(), facts, "/w/3.11.2-debian-12-arm64/build", "test",
                new Flag("/opt/py/bin/python3.11", "python-runtime.buildPython"));
        Flag withBuildPython = given.configure().stream().filter(f -> f.value().startsWith("--with-build-python="))
                .findFirst().orElseThrow();
        assertEquals("--with-build-python=/w/3.11.2-debian-12-arm64/build/build-python/python", withBuildPython.value());
        assertTrue(withBuildPython.origin().startsWith("cross: python-runtime.buildPython /opt/py/bin/python3.11, "
                + "linked there"), withBuildPython.origin());
        assertFalse(given.buildsBuildPython());
        assertEquals("/opt/py/bin/python3.11", given.cross().givenBuildPython());
        assertEquals(Path.of("/w/3.11.2-debian-12-arm64/build/build-python/python"), given.buildPython());
        assertTrue(!given.fingerprint().equals(plan.fingerprint()), "the plan says which build Python it used");

        // A container target cannot see it: it builds its own, and its plan says why.
        Target container = TargetSelector.expand(m).stream().filter(t -> t.id().equals("3.11.2-debian-13-arm64"))
                .findFirst().orElseThrow();
        BuildPlan inContainer = Planner.plan(m, container, List.of(), facts, "/w/3.11.2-debian-13-arm64/build", "test",
                new Flag("/opt/py/bin/python3.11", "python-runtime.buildPython"));
        assertTrue(inContainer.buildsBuildPython());
        assertTrue(inContainer.configure().stream().anyMatch(f -> f.origin().contains("in the build container, which "
                + "cannot see /opt/py/bin/python3.11")), inContainer.configure().toString());
    }

    @Test
    void crossCanBeLimitedToSomeDistros() throws Exception {
        Manifest m = manifest("cross: { arm64: { from: amd64, distros: [ debian-12 ], matrix: cross } }");
        Map<String, String> onAmd64 = states(m, AMD64);
        assertEquals("PLANNED: cross-compiled on amd64 (manifest 'cross'), without PGO",
                onAmd64.get("3.11.2-debian-12-arm64"));
        assertEquals("SKIPPED: this machine is amd64, the target's container (python-runtime/debian-13-build) needs "
                + "arm64 (the manifest cross-compiles arm64 for debian-12 only)", onAmd64.get("3.11.2-debian-13-arm64"));
        Map<String, String> runners = Matrix.of(m, List.of(), List.of(), AMD64, Vocabulary.PLAIN).stream()
                .collect(Collectors.toMap(Matrix.Entry::target, Matrix.Entry::runner));
        assertEquals("ubuntu-24.04", runners.get("3.11.2-debian-12-arm64"));
        assertEquals("ubuntu-24.04-arm", runners.get("3.11.2-debian-13-arm64"));
        assertRefused("cross: { arm64: { from: amd64, distros: [ debian-21 ] } }", "python.yaml:7",
                "'debian-21' is no distro of 'distros'; did you mean 'debian-12'?");
    }

    @Test
    void aNativePlanIsWhatItWasBeforeCrossBuilds() throws Exception {
        Manifest m = manifest("cross: { arm64: { from: amd64 } }");
        Target amd64 = TargetSelector.expand(m).get(0);
        BuildPlan plan = Planner.plan(m, amd64, List.of(), new EnvironmentFacts("host", "host debian-12/amd64",
                "x86_64-linux-gnu", null), "/w/b", "test");
        assertNull(plan.cross());
        assertNull(plan.buildPython());
        assertTrue(plan.configure().stream().anyMatch(f -> f.value().equals("--enable-optimizations")));
        // No "cross" key in plan.json: a native plan's fingerprint does not change.
        assertFalse(PlanJson.write(plan).contains("\"cross\""));
    }

    @Test
    void theMatrixSendsAnArchWhereTheManifestSays() throws Exception {
        Map<String, String> nativeRunners = Matrix.of(manifest("cross: { arm64: { from: amd64 } }"), List.of(),
                List.of(), AMD64, Vocabulary.PLAIN).stream().collect(Collectors.toMap(Matrix.Entry::target,
                Matrix.Entry::runner));
        assertEquals("ubuntu-24.04-arm", nativeRunners.get("3.11.2-debian-12-arm64"));
        Map<String, String> crossRunners = Matrix.of(manifest("cross: { arm64: { from: amd64, matrix: cross } }"),
                List.of(), List.of(), AMD64, Vocabulary.PLAIN).stream().collect(Collectors.toMap(Matrix.Entry::target,
                Matrix.Entry::runner));
        assertEquals("ubuntu-24.04", crossRunners.get("3.11.2-debian-12-arm64"));
        assertEquals("ubuntu-24.04", crossRunners.get("3.11.2-debian-12-amd64"));
    }
}
