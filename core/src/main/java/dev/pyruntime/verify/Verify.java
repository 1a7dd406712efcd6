package dev.pyruntime.verify;

import dev.pyruntime.Console;
import dev.pyruntime.UserError;
import dev.pyruntime.archive.Pack;
import dev.pyruntime.env.BuildEnvironment;
import dev.pyruntime.env.ContainerEngine;
import dev.pyruntime.env.Environments;
import dev.pyruntime.env.HostInfo;
import dev.pyruntime.plan.BuildPlan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code verify} step: proves each archive with the {@link Verifier}, in the environment its target was built in
 * (a container target's in its distro's image), with the checks its plan names. The plan is the only input; the
 * manifest is not read again.
 */
public final class Verify {
    private final Console console;
    private final HostInfo host;
    private final ContainerEngine.Settings containers;

    public Verify(Console console, HostInfo host, ContainerEngine.Settings containers) {
        this.console = console;
        this.host = host;
        this.containers = containers;
    }

    private dev.pyruntime.sign.SignatureCheck publicKey;

    /** Checks each archive's {@code .asc} with the publisher's public key too (a downloaded archive's, say). */
    public Verify withPublicKey(dev.pyruntime.sign.SignatureCheck key) {
        this.publicKey = key;
        return this;
    }

    /**
     * The verify step for one archive given on its own (a downloaded one): plans only its target (named by the
     * metadata beside it or by its file name, from the manifest alone, so no other target's build container starts),
     * then verifies it with its report under {@code <outputDirectory>/verify-archive/<target>}.
     *
     * @param request the planning request; its target selection is replaced by the archive's target
     * @throws UserError naming the archive setting when the file or its target is not there, or when verify fails
     */
    public Verifier.Result verifyArchive(dev.pyruntime.plan.ResolveFlags.Request request, Path file,
                                         boolean runUnconfined) throws UserError, IOException {
        dev.pyruntime.Vocabulary words = containers.words();
        String setting = words.name(dev.pyruntime.Setting.ARCHIVE);
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new UserError(setting + ": " + file + " is not a file; give the path of a .tar.zst archive");
        }
        String id = ArchiveTarget.of(file, dev.pyruntime.manifest.ManifestLoader.load(request.manifest()), words);
        List<BuildPlan> plans = new dev.pyruntime.plan.ResolveFlags(console, host, containers).run(
                new dev.pyruntime.plan.ResolveFlags.Request(request.manifest(), id, request.profiles(),
                        request.outputDirectory(), request.pluginVersion(), request.buildPython()));
        if (plans.isEmpty()) {
            throw new UserError(setting + ": " + file.getFileName() + " is target " + id + ", which the manifest "
                    + request.manifest() + " selects nothing for here; run where that target can be planned");
        }
        Path workDir = request.outputDirectory().resolve("verify-archive").resolve(id);
        java.nio.file.Files.createDirectories(workDir);
        return verifyFile(plans.get(0), file, workDir, runUnconfined);
    }

    /** Verifies every archive, and fails listing every failed check of them all. */
    public void verifyAll(List<Pack.Packaged> archives) throws UserError, IOException {
        List<Verifier.Result> failed = new ArrayList<>();
        try (Environments envs = new Environments(console, host, containers)) {
            for (Pack.Packaged p : archives) {
                Verifier.Result r = verify(envs, p.plan(), p.archive(), p.workDir(), true, false);
                if (!r.failures().isEmpty()) {
                    failed.add(r);
                }
            }
        }
        if (!failed.isEmpty()) {
            throw Verifier.failure(failed);
        }
    }

    /**
     * Verifies an archive file on its own (one downloaded, say) against its target's plan, with its report in
     * {@code workDir}; fails listing the failed checks. Its programs run only in a sandbox, unless
     * {@code runUnconfined} and there is none.
     */
    public Verifier.Result verifyFile(BuildPlan plan, Path file, Path workDir, boolean runUnconfined)
            throws UserError, IOException {
        Verifier.Result r;
        try (Environments envs = new Environments(console, host, containers)) {
            r = verify(envs, plan, file, workDir, false, runUnconfined);
        }
        if (!r.failures().isEmpty()) {
            throw Verifier.failure(List.of(r));
        }
        return r;
    }

    private Verifier.Result verify(Environments envs, BuildPlan plan, Path archive, Path workDir, boolean ownArchive,
                                   boolean runUnconfined) throws UserError, IOException {
        BuildEnvironment env = envs.forTarget(plan.target().id(), plan.environment().image(), plan.target().distro(),
                plan.buildArch(), plan.buildPackages(), workDir);
        try {
            return new Verifier(console, env, runImages(envs), runUnconfined, containers.words()).withPublicKey(publicKey)
                    .verify(plan, VerifySpec.of(plan), archive, workDir, ownArchive);
        } finally {
            envs.release(env);
        }
    }

    private static RunImages runImages(Environments envs) {
        return new RunImages() {
            @Override
            public void requireAvailable(String target, String image) throws UserError {
                envs.requireImage(target, image);
            }

            @Override
            public BuildEnvironment open(String target, String image, String distro, String arch,
                                         List<String> packages, Path mount) throws UserError {
                return envs.forTarget(target, image, distro, arch, packages, mount);
            }

            @Override
            public void release(BuildEnvironment env) {
                envs.release(env);
            }
        };
    }
}
