package dev.pyruntime.compile;

import dev.pyruntime.env.BuildPackages;
import dev.pyruntime.Console;
import dev.pyruntime.PathLock;
import dev.pyruntime.UserError;
import dev.pyruntime.env.BuildEnvironment;
import dev.pyruntime.env.ContainerEngine;
import dev.pyruntime.env.Environments;
import dev.pyruntime.env.HostInfo;
import dev.pyruntime.plan.BuildPlan;
import dev.pyruntime.plan.ResolveFlags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code compile} step: takes each target's resolved plan (from {@link dev.pyruntime.plan.ResolveFlags}) and
 * builds the targets that are not up to date into {@code <outputDirectory>/<target-id>/staging}.
 */
public final class Compile {
    private final Console console;
    private final HostInfo host;
    private final SourceProvider sources;
    private final CPythonBuild.Options options;
    private final boolean installPackages;
    private final ContainerEngine.Settings containers;
    private final boolean signaturesSkipped;

    /**
     * @param installPackages   install missing build packages on the host (a container's image is always prepared)
     * @param signaturesSkipped {@code sources} checks no signature (skipSignatures): a build made so is marked, and a
     *                          later run that checks signatures builds it again instead of taking it as up to date
     */
    public Compile(Console console, HostInfo host, SourceProvider sources, CPythonBuild.Options options,
                   boolean installPackages, ContainerEngine.Settings containers, boolean signaturesSkipped) {
        this.signaturesSkipped = signaturesSkipped;
        this.console = console;
        this.host = host;
        this.sources = sources;
        this.options = options;
        this.installPackages = installPackages;
        this.containers = containers;
    }

    /** A target's plan and where its build lives. */
    public record Compiled(BuildPlan plan, Path workDir, boolean built) {
        public Path staging() {
            return CPythonBuild.staging(workDir);
        }
    }

    /**
     * @param plans           the resolved plans (see {@link ResolveFlags})
     * @param outputDirectory where the per-target work directories are
     */
    public List<Compiled> run(List<BuildPlan> plans, Path outputDirectory) throws UserError, IOException {
        List<Compiled> out = new ArrayList<>();
        // Before anything is built: a plan that cannot be built as asked fails the run at once, not after the others.
        for (BuildPlan plan : plans) {
            String conflict = DebugSymbols.conflict(plan);
            if (conflict != null) {
                throw new UserError(conflict);
            }
        }
        try (Environments envs = new Environments(console, host, containers)) {
            for (BuildPlan plan : plans) {
                out.add(compile(envs, plan, outputDirectory.toAbsolutePath().resolve(plan.target().id())));
            }
        }
        return out;
    }

    private Compiled compile(Environments envs, BuildPlan plan, Path workDir) throws UserError, IOException {
        // One build at a time per target work directory, across threads and Maven processes.
        try (PathLock lock = PathLock.acquire(workDir.resolve(".lock"), () -> console.info(plan.target().id()
                + ": waiting for another build of this target (" + workDir + ")"))) {
            return compileLocked(envs, plan, workDir);
        }
    }

    private Compiled compileLocked(Environments envs, BuildPlan plan, Path workDir) throws UserError, IOException {
        String id = plan.target().id();
        // With archive.symbols: separate, the debug files split off are part of the build.
        boolean symbolsThere = plan.archive().symbols() == null || Files.isDirectory(DebugSymbols.dir(workDir));
        if (symbolsThere && UpToDate.check(workDir, plan.fingerprint(), signaturesSkipped)) {
            console.info(id + ": up to date (plan " + plan.fingerprint().substring(0, 12) + "), nothing to compile");
            return new Compiled(plan, workDir, false);
        }
        if (UpToDate.builtUnchecked(workDir, plan.fingerprint())) {
            console.info(id + ": the build there used a source whose signature was not checked (skipSignatures); "
                    + "building it again from a checked source");
        }
        UpToDate.invalidate(workDir);
        // Fetched first: a missing source fails before a container is started, and offline before anything runs.
        Path tarball = sources.fetch(plan.source());
        BuildEnvironment env = envs.forTarget(id, plan.environment().image(), plan.target().distro(), plan.buildArch(),
                plan.buildPackages(), workDir);
        long start = System.nanoTime();
        long sourceDate;
        try {
            BuildPackages.ensure(env, plan.target().distro(), plan.buildPackages(), installPackages, workDir, console);
            // ccache lives on the host; a container's steps compile without it.
            CPythonBuild.Options opts = env.seesHostTools() ? options : new CPythonBuild.Options(options.jobs(), null);
            // A cross build's staged interpreter and loader run emulated: found before the build, so a machine that
            // cannot run them fails first.
            BuildEnvironment target = plan.cross() == null ? env
                    : dev.pyruntime.env.Emulation.find(env, plan.cross().hostArch(),
                            dev.pyruntime.env.Emulation.BINFMT_MISC).wrap(env);
            sourceDate = new CPythonBuild(env, console, opts).build(plan, workDir, tarball);
            new BuildInfo(sourceDate, Toolchain.detect(env, workDir, plan.cross(),
                    plan.configure().stream().map(dev.pyruntime.flags.Flag::value).toList()),
                    RuntimeContents.detect(target, CPythonBuild.staging(workDir), plan.interpreter(), plan.stdlibDir())
                            .withBundled(Path.of(plan.buildDir()))).write(workDir);
        } finally {
            envs.release(env);
        }
        UpToDate.mark(workDir, plan.fingerprint(), signaturesSkipped && plan.source().signature() != null);
        console.info(id + ": compiled in " + Progress.format(java.time.Duration.ofNanos(System.nanoTime() - start))
                + " -> " + CPythonBuild.staging(workDir));
        return new Compiled(plan, workDir, true);
    }
}
