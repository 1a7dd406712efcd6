package dev.pyruntime.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.github.luben.zstd.ZstdInputStream;
import dev.pyruntime.AtomicFiles;
import dev.pyruntime.Chars;
import dev.pyruntime.Console;
import dev.pyruntime.Setting;
import dev.pyruntime.UserError;
import dev.pyruntime.Vocabulary;
import dev.pyruntime.archive.ArchiveMetadata;
import dev.pyruntime.archive.Sha256Sidecar;
import dev.pyruntime.compile.Cleanup;
import dev.pyruntime.compile.SafeUnpacker;
import dev.pyruntime.env.BuildEnvironment;
import dev.pyruntime.env.Emulation;
import dev.pyruntime.env.Sandbox;
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
    private final boolean runUnconfined;
    private final Vocabulary words;

    /**
     * @param env       where the target was built: the runtime checks run there, confined ({@link Sandbox})
     * @param runImages starts the run image for the run-image check, or null where there is none to start
     */
    public Verifier(Console console, BuildEnvironment env, RunImages runImages) {
        this(console, env, runImages, false, Vocabulary.PLAIN);
    }

    /**
     * @param runUnconfined run the programs of an archive that is not this build's own without a sandbox when there is
     *                      none here (the user's explicit choice); otherwise their checks are skipped and verify fails
     * @param words         the front end's names for its settings, for the message that names this one
     */
    public Verifier(Console console, BuildEnvironment env, RunImages runImages, boolean runUnconfined, Vocabulary words) {
        this.console = console;
        this.env = env;
        this.runImages = runImages;
        this.runUnconfined = runUnconfined;
        this.words = words;
    }

    private dev.pyruntime.sign.SignatureCheck publicKey;

    /** Checks the archive's detached signature ({@code <archive>.asc}) with {@code key} too; null checks none. */
    public Verifier withPublicKey(dev.pyruntime.sign.SignatureCheck key) {
        this.publicKey = key;
        return this;
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
        if (Files.isRegularFile(archive)) {
            checks.add(SupplyChainCheck.run(plan, archive, Sha256Sidecar.hash(archive), ownArchive));
            if (publicKey != null) {
                checks.add(SupplyChainCheck.signature(archive, publicKey));
            }
        }
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
            Cleanup.delete(root); // what unpacked before the failure (up to the 1 GiB limit) is of no use
            List<String> skipped = new ArrayList<>(LayoutChecks.IDS);
            skipped.addAll(ElfChecks.IDS);
            skipped.addAll(SymbolsCheck.IDS);
            skipped.add(InterpreterCheck.ID);
            if (Emulation.needed(plan.target().arch())) {
                skipped.add(EMULATION);
            }
            skipped.add(SANDBOX);
            for (String check : skipped) {
                checks.add(Check.skipped(check, check, "the archive did not unpack"));
            }
            skipRuntime(checks, plan, "the archive did not unpack");
        } else {
            checks.addAll(LayoutChecks.run(plan, spec, root));
            List<String> unreadable = new ArrayList<>();
            elves = ElfChecks.scan(root, unreadable);
            if (!unreadable.isEmpty()) {
                checks.add(Check.fail("elf-readable", "every file with the ELF magic has readable headers",
                        String.join("; ", LayoutChecks.withMore(unreadable, 10))));
            }
            checks.addAll(ElfChecks.run(plan, elves));
            checks.addAll(SymbolsCheck.run(plan, archive, root, elves.keySet(), ownArchive, runUnconfined,
                    workDir.resolve("verify-symbols")));
            Check interpreter = InterpreterCheck.run(root, plan.target().arch());
            checks.add(interpreter);
            String arch = plan.target().arch();
            boolean foreign = Emulation.needed(arch);
            if (interpreter.failed()) {
                if (foreign) {
                    checks.add(Check.skipped(EMULATION, emulationWhat(arch), "nothing to run"));
                }
                checks.add(Check.skipped(SANDBOX, SANDBOX_WHAT, "nothing to run"));
                skipRuntime(checks, plan, "not run: " + interpreter.detail());
            } else {
                Emulation emulation = null;
                Path tools = null;
                if (foreign) {
                    try {
                        emulation = Emulation.find(env, arch, Emulation.BINFMT_MISC);
                        tools = workDir.resolve("verify-cross-tools");
                        Emulation.tools(tools, plan.cross() != null ? plan.cross().hostTriplet()
                                : Emulation.TRIPLET.getOrDefault(arch, arch + "-linux-gnu"));
                        checks.add(Check.pass(EMULATION, emulationWhat(arch), emulation.describe()
                                + "; C builds use the " + arch + " cross compiler"));
                    } catch (dev.pyruntime.env.Unavailable | IOException e) {
                        emulation = null;
                        checks.add(Check.fail(EMULATION, emulationWhat(arch), e instanceof IOException
                                ? "cannot make the cross tools' directory " + tools + ": " + e.getMessage()
                                : e.getMessage()));
                    }
                }
                Confinement confined = foreign && emulation == null ? null
                        : confinement(env, ownArchive, tools == null ? List.of() : List.of(tools));
                if (confined == null) {
                    checks.add(Check.skipped(SANDBOX, SANDBOX_WHAT, "nothing can run here"));
                    skipRuntime(checks, plan, "not run: this machine cannot run " + arch + " programs (see the "
                            + EMULATION + " check)");
                } else if (confined.refused()) {
                    checks.add(confined.check());
                    skipRuntime(checks, plan, "not run: there is no sandbox here (see the " + SANDBOX + " check)");
                } else {
                    checks.add(confined.check());
                    checks.addAll(runtime(plan, spec, root, elves, emulation == null ? confined
                            : confined.emulated(emulation, tools)));
                    java.util.Set<String> elfFiles = elves.keySet();
                    checks.add(foreign && spec.runImage() != null ? Check.skipped("run-image", RUN_IMAGE_WHAT,
                            "the run image " + spec.runImage() + " runs this machine's arch ("
                            + dev.pyruntime.env.HostInfo.detect().arch() + "), not " + arch + ": an " + arch + " run "
                            + "image needs an " + arch + " image of the distro and binfmt_misc's registration of QEMU "
                            + "with flag F, which a container needs to start " + arch + " programs (docs/cross.md)")
                            : RuntimeChecks.guarded("run-image", RUN_IMAGE_WHAT,
                            () -> runImage(plan, spec, archive, root, elfFiles, ownArchive)));
                }
            }
        }
        Result result = new Result(id, archive, List.copyOf(checks), workDir.resolve(REPORT));
        writeReport(result, elves);
        print(result);
        return result;
    }

    static final String EMULATION = "emulation";

    static String emulationWhat(String arch) {
        return "this " + dev.pyruntime.env.HostInfo.detect().arch() + " machine runs the " + arch + " runtime's "
                + "programs under emulation (QEMU user mode)";
    }

    static final String SANDBOX = "sandbox";
    static final String SANDBOX_WHAT = "the archive's programs run confined: no network, not root, only their scratch "
            + "directory writable, bounded in time, memory and processes";

    /** The runtime checks, or one failure in their place when running them failed outright: the report is written. */
    private List<Check> runtime(BuildPlan plan, VerifySpec spec, Path root, Map<String, ElfFacts> elves,
                                Confinement confined) {
        try {
            return new RuntimeChecks(env, confined.confiner()).run(plan, spec, root, elves);
        } catch (UserError | IOException | RuntimeException e) {
            return List.of(Check.fail("version", "bin/python3 --version", "the runtime checks could not run: "
                    + Chars.shown(String.valueOf(e.getMessage()))));
        }
    }

    /** The checks that run something from the tree, in their order. */
    private static void skipRuntime(List<Check> checks, BuildPlan plan, String why) {
        for (String id : RuntimeChecks.ids(plan)) {
            checks.add(Check.skipped(id, id.equals("embed") ? RuntimeChecks.EMBED_WHAT : id, why));
        }
        checks.add(Check.skipped(RUN_IMAGE, RUN_IMAGE_WHAT, why));
    }

    static final String RUN_IMAGE = "run-image";

    /**
     * Every check id a report can hold, in report order: what docs/verify.md's table lists (a test holds it to
     * exactly these).
     */
    static final List<String> IDS = ids();

    private static List<String> ids() {
        List<String> out = new ArrayList<>(List.of("archive-sha256", SupplyChainCheck.ID, SupplyChainCheck.SIGNATURE,
                "unpack"));
        out.addAll(LayoutChecks.IDS);
        out.add("elf-readable");
        out.add(ElfChecks.FILES_ID);
        out.addAll(ElfChecks.IDS);
        out.addAll(SymbolsCheck.IDS);
        out.addAll(List.of(InterpreterCheck.ID, EMULATION, SANDBOX));
        out.addAll(RuntimeChecks.IDS);
        out.add(RUN_IMAGE);
        return List.copyOf(out);
    }

    /**
     * How the archive's programs run in {@code where}: confined by its {@link Sandbox}; else, for this build's own
     * archive (which ran in the same place while it was built) or when the user asked for it, as they are; else not at
     * all.
     */
    private Confinement confinement(BuildEnvironment where, boolean ownArchive) {
        return confinement(where, ownArchive, List.of());
    }

    /** @param alsoReadOnly directories of ours the programs read too (the cross tools) */
    private Confinement confinement(BuildEnvironment where, boolean ownArchive, List<Path> alsoReadOnly) {
        try {
            Sandbox sandbox = Sandbox.of(where);
            return new Confinement(Check.pass(SANDBOX, SANDBOX_WHAT, sandbox.describe()),
                    (readOnly, writable) -> sandbox.confine(readOnly, writable, alsoReadOnly));
        } catch (dev.pyruntime.env.Unavailable e) {
            String why = "no sandbox in " + where.describe() + ": " + e.getMessage();
            RuntimeChecks.Confiner unconfined = (readOnly, writable) -> where;
            if (ownArchive) {
                console.warn("verify: " + why + "; this build's own archive runs unconfined, as its build did");
                return new Confinement(Check.skipped(SANDBOX, SANDBOX_WHAT, why + "; ran unconfined: this build's "
                        + "own archive, built in the same place"), unconfined);
            }
            if (runUnconfined) {
                return new Confinement(Check.skipped(SANDBOX, SANDBOX_WHAT, why + "; ran unconfined as "
                        + System.getProperty("user.name") + ", as " + words.set(Setting.RUN_UNCONFINED, "true")
                        + " asked"), unconfined);
            }
            return new Confinement(Check.fail(SANDBOX, SANDBOX_WHAT, why + ". This archive is not this build's own, "
                    + "so its programs were not run; install bubblewrap, or, if you trust it, set "
                    + words.set(Setting.RUN_UNCONFINED, "true") + " to run them as " + System.getProperty("user.name")
                    + " on this machine"), null);
        }
    }

    /** The sandbox check's verdict and how the runtime checks run, or no way at all ({@link #refused()}). */
    private record Confinement(Check check, RuntimeChecks.Confiner confiner) {
        boolean refused() {
            return confiner == null;
        }

        /** The same confinement, with the programs of another arch run through {@code emulation}. */
        Confinement emulated(Emulation emulation, Path tools) {
            return new Confinement(check, (readOnly, writable) -> emulation.wrap(confiner.within(readOnly, writable),
                    tools));
        }
    }

    /** The failure of the whole step, naming every failed check of every target. */
    public static UserError failure(List<Result> failed) {
        StringBuilder sb = new StringBuilder("verify failed:");
        for (Result r : failed) {
            sb.append("\n").append(r.target()).append(" (").append(r.archive().getFileName()).append("): ")
                    .append(r.failures().size()).append(" of ").append(r.checks().size()).append(" checks failed");
            for (Check c : r.failures()) {
                // One line each: what an archive printed cannot start lines of its own in the build log.
                sb.append("\n  ").append(c.id()).append(": ").append(Chars.shown(c.detail()));
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
    private Check runImage(BuildPlan plan, VerifySpec spec, Path archive, Path root, java.util.Set<String> elfFiles,
                           boolean ownArchive) throws IOException {
        if (spec.runImage() == null) {
            return Check.skipped("run-image", RUN_IMAGE_WHAT, plan.target().distro() + " names no runImage");
        }
        Path metaFile = ArchiveMetadata.fileFor(archive);
        if (!ownArchive && !Files.isRegularFile(metaFile)) {
            // A downloaded archive (deploy downloads only the archive): nothing says which packages its run image needs.
            return Check.skipped("run-image", RUN_IMAGE_WHAT, "no " + metaFile.getFileName() + " beside the archive "
                    + "lists the packages to install in " + spec.runImage());
        }
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
        try {
            // They reach dpkg-query and apt-get as root: nothing else than package names, whoever wrote the metadata.
            dev.pyruntime.env.BuildPackages.requireNames(packages, metaFile.getFileName() + " (runtime.packages)");
        } catch (UserError e) {
            return Check.fail("run-image", RUN_IMAGE_WHAT, e.getMessage());
        }
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
            Confinement confined = confinement(run, ownArchive);
            if (confined.refused()) {
                return Check.skipped("run-image", RUN_IMAGE_WHAT, "not run: " + confined.check().detail());
            }
            return new RuntimeChecks(run, confined.confiner()).inRunImage(plan, spec, root, elfFiles, packages);
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
            String shown = Chars.shown(c.detail());
            String detail = c.failed() || shown.length() <= 120 ? shown : shown.substring(0, 117) + "...";
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
