package dev.pyruntime.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.github.luben.zstd.ZstdInputStream;
import dev.pyruntime.AtomicFiles;
import dev.pyruntime.Console;
import dev.pyruntime.UserError;
import dev.pyruntime.archive.ArchiveMetadata;
import dev.pyruntime.archive.Sha256Sidecar;
import dev.pyruntime.compile.Cleanup;
import dev.pyruntime.compile.SafeUnpacker;
import dev.pyruntime.env.BuildEnvironment;
import dev.pyruntime.plan.BuildPlan;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code verify} step for one archive: checks its checksum against its {@code .sha256} and metadata, unpacks it
 * without trusting it into a fresh directory (not where it was built), and checks the runtime there. Every check
 * runs and is reported, in a table and in {@code verify-report.json}; the step fails if any failed.
 */
public final class Verifier {
    static final String REPORT = "verify-report.json";
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final Console console;
    private final BuildEnvironment env;
    private final RunImages runImages;

    /**
     * @param env       where the target was built: the runtime checks run there
     * @param runImages starts the run image for the run-image check, or null where there is none to start
     */
    public Verifier(Console console, BuildEnvironment env, RunImages runImages) {
        this.console = console;
        this.env = env;
        this.runImages = runImages;
    }

    /** The outcome for one archive. */
    public record Result(String target, Path archive, List<Check> checks, Path report) {
        public List<Check> failures() {
            return checks.stream().filter(Check::failed).toList();
        }
    }

    /**
     * @param workDir the target's work directory: the archive is unpacked into {@code verify/} there and the report
     *                written beside it
     */
    static final String UNPACK_WHAT = "unpacks safely (no absolute path, '..', escaping link, device, sparse file or "
            + "control character; within the size and entry limits)";

    public Result verify(BuildPlan plan, VerifySpec spec, Path archive, Path workDir) throws UserError, IOException {
        return verify(plan, spec, archive, workDir, true);
    }

    /**
     * @param ownArchive whether the archive is this build's, whose {@code .sha256} and metadata must be beside it; an
     *                   archive verified on its own skips that check, saying so, when neither is there
     */
    public Result verify(BuildPlan plan, VerifySpec spec, Path archive, Path workDir, boolean ownArchive)
            throws UserError, IOException {
        String id = plan.target().id();
        List<Check> checks = new ArrayList<>();
        boolean sidecars = Files.isRegularFile(Sha256Sidecar.fileFor(archive))
                || Files.isRegularFile(ArchiveMetadata.fileFor(archive));
        checks.add(ownArchive || sidecars || !Files.isRegularFile(archive) ? checksum(archive)
                : Check.skipped("archive-sha256", "the archive's sha256 matches its .sha256 file and its metadata",
                        "neither " + Sha256Sidecar.fileFor(archive).getFileName() + " nor "
                                + ArchiveMetadata.fileFor(archive).getFileName() + " is beside it"));
        Path root = workDir.resolve("verify");
        Cleanup.delete(root);
        Map<String, ElfFacts> elves = Map.of();
        Check unpack;
        try (InputStream in = new ZstdInputStream(new BufferedInputStream(Files.newInputStream(archive), 1 << 16))) {
            SafeUnpacker.unpack(in, root, 0, archive.getFileName().toString());
            unpack = Check.pass("unpack", UNPACK_WHAT,
                    "into " + root);
        } catch (UserError e) {
            unpack = Check.fail("unpack", UNPACK_WHAT, e.getMessage());
        } catch (IOException | RuntimeException e) {
            // A corrupt or crafted header (commons-compress refuses it with an unchecked exception) is the archive's
            // fault, reported like any other unpack failure.
            unpack = Check.fail("unpack", UNPACK_WHAT,
                    "cannot read " + archive.getFileName() + " as a zstd-compressed tar: " + e.getMessage());
        }
        checks.add(unpack);
        if (unpack.failed()) {
            Cleanup.delete(root); // what did unpack before the failure (up to the 1 GiB limit) is of no use
            for (String skipped : List.of("layout", "elf", "version", "modules", "sysconfig", "module-set", "ldd",
                    "extension", "embed", "run-image")) {
                checks.add(Check.skipped(skipped, skipped, "the archive did not unpack"));
            }
        } else {
            checks.addAll(LayoutChecks.run(plan, spec, root));
            elves = ElfChecks.scan(root);
            checks.addAll(ElfChecks.run(plan, elves));
            checks.addAll(new RuntimeChecks(env).run(plan, spec, root, elves));
            checks.add(runImage(plan, spec, archive, root, elves.keySet()));
        }
        Result result = new Result(id, archive, List.copyOf(checks), workDir.resolve(REPORT));
        writeReport(result, elves);
        print(result);
        return result;
    }

    /** The failure of the whole step, naming every failed check of every target. */
    public static UserError failure(List<Result> failed) {
        StringBuilder sb = new StringBuilder("verify failed:");
        for (Result r : failed) {
            sb.append("\n").append(r.target()).append(" (").append(r.archive().getFileName()).append("): ")
                    .append(r.failures().size()).append(" of ").append(r.checks().size()).append(" checks failed");
            for (Check c : r.failures()) {
                sb.append("\n  ").append(c.id()).append(": ").append(c.detail());
            }
            sb.append("\n  report: ").append(r.report());
        }
        return new UserError(sb.toString());
    }

    static final String RUN_IMAGE_WHAT = "the runtime runs in the distro's bare run image with only the packages its "
            + "metadata lists";

    /**
     * The runtime in its consumers' run image: a container of the distro's {@code runImage} with only the packages the
     * metadata lists ({@code runtime.packages}) installed, where its version, required modules and {@code ldd} must
     * check out as they did where it was built (which has every {@code -dev} package). Skipped, with the reason, when
     * the distro names no run image, or when it cannot start here.
     */
    private Check runImage(BuildPlan plan, VerifySpec spec, Path archive, Path root, java.util.Set<String> elfFiles)
            throws IOException {
        if (spec.runImage() == null) {
            return Check.skipped("run-image", RUN_IMAGE_WHAT, plan.target().distro() + " names no runImage");
        }
        Path metaFile = ArchiveMetadata.fileFor(archive);
        ArchiveMetadata meta;
        try {
            meta = ArchiveMetadata.read(metaFile);
        } catch (IOException e) {
            return Check.fail("run-image", RUN_IMAGE_WHAT, "cannot read " + metaFile.getFileName() + ", which lists the "
                    + "packages to install: " + e.getMessage());
        }
        if (meta.runtime() == null) {
            return Check.fail("run-image", RUN_IMAGE_WHAT, ArchiveMetadata.fileFor(archive).getFileName()
                    + " lists no runtime packages (packed by a plugin before they were recorded); compile again");
        }
        List<String> packages = meta.runtime().packages() == null ? List.of()
                : meta.runtime().packages().stream().map(p -> p.name()).toList();
        if (runImages == null) {
            return Check.skipped("run-image", RUN_IMAGE_WHAT, "no container engine to start " + spec.runImage());
        }
        try {
            runImages.requireAvailable(plan.target().id(), spec.runImage());
        } catch (UserError e) {
            return Check.skipped("run-image", RUN_IMAGE_WHAT, "cannot start " + spec.runImage() + " here: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        BuildEnvironment run;
        try {
            run = runImages.open(plan.target().id(), spec.runImage(), plan.target().distro(), plan.target().arch(),
                    packages, root.getParent());
        } catch (dev.pyruntime.env.Unavailable e) {
            return Check.skipped("run-image", RUN_IMAGE_WHAT, "cannot start " + spec.runImage() + " here: "
                    + e.getMessage().lines().findFirst().orElse(""));
        } catch (UserError e) {
            // The image is here and starts: installing the listed packages, or the image itself, is what failed.
            return Check.fail("run-image", RUN_IMAGE_WHAT, spec.runImage() + " with " + String.join(" ", packages)
                    + ": " + e.getMessage());
        }
        try {
            return new RuntimeChecks(run).inRunImage(plan, spec, root, elfFiles, packages);
        } catch (UserError e) {
            return Check.fail("run-image", RUN_IMAGE_WHAT, e.getMessage());
        } finally {
            runImages.release(run);
        }
    }

    private static Check checksum(Path archive) throws IOException {
        String what = "the archive's sha256 matches its .sha256 file and its metadata";
        if (!Files.isRegularFile(archive)) {
            return Check.fail("archive-sha256", what, archive + " does not exist");
        }
        String actual = Sha256Sidecar.hash(archive);
        long size = Files.size(archive);
        List<String> problems = new ArrayList<>();
        Path sidecar = Sha256Sidecar.fileFor(archive);
        String recorded = null;
        String unreadable = "";
        try {
            recorded = Files.isRegularFile(sidecar) ? Sha256Sidecar.read(sidecar) : null;
        } catch (IOException e) {
            unreadable = " (" + e.getMessage() + ")";
        }
        if (recorded == null) {
            problems.add(sidecar.getFileName() + " is missing or unreadable" + unreadable);
        } else if (!recorded.equals(actual)) {
            problems.add("the archive's sha256 is " + actual + " but " + sidecar.getFileName() + " says " + recorded);
        }
        Path metaFile = ArchiveMetadata.fileFor(archive);
        if (!Files.isRegularFile(metaFile)) {
            problems.add(metaFile.getFileName() + " is missing");
        } else {
            ArchiveMetadata meta;
            try {
                meta = ArchiveMetadata.read(metaFile);
            } catch (IOException e) {
                problems.add("cannot read " + metaFile.getFileName() + ": " + e.getMessage().lines().findFirst()
                        .orElse(""));
                return Check.of("archive-sha256", what, problems, actual);
            }
            if (!actual.equals(meta.sha256())) {
                problems.add("the archive's sha256 is " + actual + " but " + metaFile.getFileName() + " says " + meta.sha256());
            }
            if (size != meta.size()) {
                problems.add("the archive has " + size + " bytes but " + metaFile.getFileName() + " says " + meta.size());
            }
        }
        return Check.of("archive-sha256", what, problems, actual);
    }

    private void writeReport(Result r, Map<String, ElfFacts> elves) throws IOException {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("target", r.target());
        report.put("archive", r.archive().getFileName().toString());
        // Where the interpreter ran: this machine, or the target's build image.
        report.put("environment", env.describe());
        report.put("passed", r.failures().isEmpty());
        report.put("checks", r.checks());
        report.put("elf", elves);
        AtomicFiles.writeString(r.report(), JSON.writeValueAsString(report) + "\n");
    }

    private void print(Result r) {
        long passed = r.checks().stream().filter(c -> c.status() == Check.Status.PASS).count();
        console.info(r.target() + ": verify " + r.archive().getFileName() + ": " + passed + " passed, "
                + r.failures().size() + " failed, " + (r.checks().size() - passed - r.failures().size()) + " skipped");
        int width = r.checks().stream().mapToInt(c -> c.id().length()).max().orElse(10);
        for (Check c : r.checks()) {
            String detail = c.failed() || c.detail().length() <= 120 ? c.detail() : c.detail().substring(0, 117) + "...";
            String line = String.format("  %-7s %-" + width + "s  %s: %s", c.status(), c.id(), c.what(), detail);
            if (c.failed()) {
                console.warn(line);
            } else {
                console.info(line);
            }
        }
        console.info("  report: " + r.report());
    }
}
