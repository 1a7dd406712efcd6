package dev.pyruntime.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pyruntime.RecordingConsole;
import dev.pyruntime.env.HostEnvironment;
import dev.pyruntime.env.HostInfo;
import dev.pyruntime.plan.BuildPlan;
import dev.pyruntime.plan.PlanJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the verify step decides from the archive alone, without a build: which checks run, which are skipped and why. */
class VerifierDecisionsTest {
    /** What a failed unpack skips: every check a good archive's report has after unpack, by the same ids. */
    private static final List<String> AFTER_UNPACK = List.of("layout-bin", "layout-cleanup", "bytecode", "build-paths",
            "install-prefix", "elf-relro", "elf-bindnow", "elf-nx-stack", "elf-pie", "elf-textrel", "elf-runpath",
            "elf-stack-protector", "elf-fortify", "symbols", "symbols-gdb", "interpreter", "sandbox", "version", "modules", "sysconfig", "builtin", "variant",
            "module-set", "ldd", "extension", "embed", "run-image");

    /** docs/verify.md's table of checks lists exactly the ids a report can hold. */
    @Test
    void theDocsTableListsExactlyTheChecksIds() throws Exception {
        List<String> documented = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(Path.of("../docs/verify.md"))) {
            java.util.regex.Matcher row = java.util.regex.Pattern.compile("^\\| ((?:`[a-z0-9-]+`(?:, )?)+) \\|")
                    .matcher(line);
            if (row.find()) {
                java.util.regex.Matcher id = java.util.regex.Pattern.compile("`([a-z0-9-]+)`").matcher(row.group(1));
                while (id.find()) {
                    documented.add(id.group(1));
                }
            }
        }
        assertEquals(new java.util.TreeSet<>(Verifier.IDS), new java.util.TreeSet<>(documented));
        assertEquals(Verifier.IDS.size(), new java.util.HashSet<>(Verifier.IDS).size(), "an id twice: " + Verifier.IDS);
    }

    private static BuildPlan plan() throws Exception {
        return PlanJson.read(Path.of("src/test/resources/installed/3.11.2/plan.json"));
    }

    private static Verifier verifier() {
        return new Verifier(new RecordingConsole(), new HostEnvironment(HostInfo.detect()), null);
    }

    @Test
    void anArchiveThatDoesNotUnpackFailsUnpackSkipsTheRestAndStillWritesItsReport(@TempDir Path tmp) throws Exception {
        BuildPlan plan = plan();
        Path archive = tmp.resolve(plan.archive().name());
        Files.writeString(archive, "not zstd at all");
        Verifier.Result r = verifier().verify(plan, VerifySpec.of(plan), archive, tmp.resolve("work"), false);

        assertEquals("archive-sha256", r.checks().get(0).id());
        assertEquals(Check.Status.SKIPPED, r.checks().get(0).status(), "nothing beside it to compare with");
        assertEquals("supply-chain", r.checks().get(1).id());
        assertEquals(Check.Status.SKIPPED, r.checks().get(1).status(), "no SBOM or provenance beside it either");
        assertEquals("unpack", r.checks().get(2).id());
        assertEquals(Check.Status.FAIL, r.checks().get(2).status());
        assertTrue(r.checks().get(2).detail().startsWith("cannot read " + archive.getFileName()
                + " as a zstd-compressed tar"), r.checks().get(2).detail());
        assertEquals(AFTER_UNPACK, r.checks().subList(3, r.checks().size()).stream().map(Check::id).toList());
        assertTrue(Verifier.IDS.containsAll(r.checks().stream().map(Check::id).toList()), r.checks().toString());
        assertTrue(r.checks().subList(3, r.checks().size()).stream().allMatch(c -> c.status() == Check.Status.SKIPPED
                && c.detail().endsWith("the archive did not unpack")));
        assertEquals(List.of("unpack"), r.failures().stream().map(Check::id).toList());

        JsonNode report = new ObjectMapper().readTree(r.report().toFile());
        assertEquals("FAIL", report.get("checks").get(2).get("status").asText());
    }

    @Test
    void thisBuildsOwnArchiveMustHaveItsSha256AndMetadataBesideIt(@TempDir Path tmp) throws Exception {
        BuildPlan plan = plan();
        Path archive = tmp.resolve(plan.archive().name());
        Files.writeString(archive, "not zstd at all");
        Verifier.Result r = verifier().verify(plan, VerifySpec.of(plan), archive, tmp.resolve("work"));

        assertEquals(Check.Status.FAIL, r.checks().get(0).status());
        assertTrue(r.checks().get(0).detail().contains(".sha256 is missing or unreadable"), r.checks().get(0).detail());
        assertEquals(List.of("archive-sha256", "supply-chain", "unpack"), r.failures().stream().map(Check::id).toList());
        assertTrue(r.checks().get(1).detail().contains(".cdx.json is missing"), r.checks().get(1).detail());
    }

    @Test
    void anArchiveThatFailsHalfwayThroughUnpackingLeavesNothingUnpacked(@TempDir Path tmp) throws Exception {
        BuildPlan plan = plan();
        Path archive = tmp.resolve(plan.archive().name());
        try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
                new com.github.luben.zstd.ZstdOutputStream(Files.newOutputStream(archive)))) {
            byte[] big = new byte[1 << 20];
            for (String name : List.of("python/lib/a.so", "python/lib/b.so", "../escape")) {
                var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(name, true);
                e.setSize(big.length);
                out.putArchiveEntry(e);
                out.write(big);
                out.closeArchiveEntry();
            }
        }
        Path work = tmp.resolve("work");
        Verifier.Result r = verifier().verify(plan, VerifySpec.of(plan), archive, work, false);

        assertEquals(Check.Status.FAIL, r.checks().get(2).status());
        assertTrue(r.checks().get(2).detail().contains("refusing entry '../escape'"), r.checks().get(2).detail());
        assertEquals(false, Files.exists(work.resolve("verify")), "what was unpacked before the refusal is deleted");
        assertTrue(Files.isRegularFile(r.report()), "the report is still written");
    }
}
