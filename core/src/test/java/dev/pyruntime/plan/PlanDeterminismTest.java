package dev.pyruntime.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyruntime.env.HostEnvironment;
import dev.pyruntime.env.HostInfo;
import dev.pyruntime.manifest.Manifest;
import dev.pyruntime.manifest.ManifestLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plans from this machine's real dpkg-buildflags: same inputs, same bytes and fingerprint; JSON round-trips. */
class PlanDeterminismTest {

    private static BuildPlan planOnHost(Manifest m, Path workDir, List<String> profiles) throws Exception {
        HostInfo host = HostInfo.detect();
        Target t = TargetSelector.expand(m).stream().filter(x -> x.distro().id().equals(host.distroId())
                && x.arch().equals(host.arch())).findFirst().orElseThrow();
        Files.createDirectories(workDir);
        EnvironmentFacts facts = EnvironmentFacts.read(new HostEnvironment(host), workDir, m.build());
        return Planner.plan(m, t, profiles, facts, workDir.resolve("build").toString(), "test");
    }

    @Test
    void samePlanTwiceAndAcrossCheckouts(@TempDir Path dir) throws Exception {
        Manifest m = ManifestLoader.load(Path.of("../manifests/python.yaml"));
        BuildPlan a = planOnHost(m, dir.resolve("one/t"), List.of("quick"));
        BuildPlan b = planOnHost(m, dir.resolve("one/t"), List.of("quick"));
        assertEquals(PlanJson.write(a), PlanJson.write(b));
        BuildPlan elsewhere = planOnHost(m, dir.resolve("another/checkout/t"), List.of("quick"));
        assertNotEquals(a.buildDir(), elsewhere.buildDir());
        assertEquals(a.fingerprint(), elsewhere.fingerprint(), "the fingerprint does not depend on where the project is");
        assertTrue(a.fingerprint().matches("[0-9a-f]{64}"));
    }

    @Test
    void jsonRoundTripsAndFingerprintCoversInputs(@TempDir Path dir) throws Exception {
        Manifest m = ManifestLoader.load(Path.of("../manifests/python.yaml"));
        BuildPlan plan = planOnHost(m, dir.resolve("t"), List.of());
        Path file = dir.resolve("t/plan.json");
        PlanJson.writeAtomically(plan, file);
        BuildPlan read = PlanJson.read(file);
        assertEquals(plan, read);
        assertEquals(plan.fingerprint(), PlanJson.fingerprint(read));
        try (var files = Files.list(dir.resolve("t"))) {
            assertEquals(List.of("plan.json"), files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("build")).toList(),
                    "no temporary file is left behind");
        }
        BuildPlan changed = new BuildPlan(plan.schema(), null, plan.pluginVersion(), plan.target(), plan.profiles(),
                plan.source(), plan.environment(), plan.buildPackages(), plan.prefix(), plan.buildDir(), plan.configure().subList(0, 3),
                plan.flags(), plan.make(), plan.builtinModules(), plan.verifyModules(), plan.verifyBin(), plan.runImage(), plan.cleanup(), plan.archive(), plan.diagnostics());
        assertNotEquals(plan.fingerprint(), PlanJson.fingerprint(changed));
        // What verify requires changes nothing built: the fingerprint (and so the up-to-date build) stays.
        assertEquals(plan.fingerprint(), PlanJson.fingerprint(plan.withVerify(List.of(new dev.pyruntime.flags.Flag("ssl", "test")),
                List.of("python3", "pip3"), "debian:12")));
    }
}
