package dev.pyruntime.build;

import dev.pyruntime.Console;
import dev.pyruntime.PathLock;
import dev.pyruntime.UserError;
import dev.pyruntime.env.BuildEnvironment;
import dev.pyruntime.env.HostEnvironment;
import dev.pyruntime.env.HostInfo;
import dev.pyruntime.plan.BuildPlan;
import dev.pyruntime.plan.ResolveFlags;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code compile} step: resolves each selected target's plan, and builds the targets that are not up to date
 * into {@code <outputDirectory>/<target-id>/staging}.
 */
public final class Compile {
    private final Console console;
    private final HostInfo host;
    private final SourceProvider sources;
    private final CPythonBuild.Options options;
    private final boolean installPackages;

    public Compile(Console console, HostInfo host, SourceProvider sources, CPythonBuild.Options options,
                   boolean installPackages) {
        this.console = console;
        this.host = host;
        this.sources = sources;
        this.options = options;
        this.installPackages = installPackages;
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
        BuildEnvironment env = new HostEnvironment(host);
        List<Compiled> out = new ArrayList<>();
        for (BuildPlan plan : plans) {
            out.add(compile(env, plan, outputDirectory.toAbsolutePath().resolve(plan.target().id())));
        }
        return out;
    }

    public Compiled compile(BuildEnvironment env, BuildPlan plan, Path workDir) throws UserError, IOException {
        // One build at a time per target work directory, across threads and Maven processes.
        try (PathLock lock = PathLock.acquire(workDir.resolve(".lock"), () -> console.info(plan.target().id()
                + ": waiting for another build of this target (" + workDir + ")"))) {
            return compileLocked(env, plan, workDir);
        }
    }

    private Compiled compileLocked(BuildEnvironment env, BuildPlan plan, Path workDir) throws UserError, IOException {
        String id = plan.target().id();
        if (UpToDate.check(workDir, plan.fingerprint())) {
            console.info(id + ": up to date (plan " + plan.fingerprint().substring(0, 12) + "), nothing to compile");
            return new Compiled(plan, workDir, false);
        }
        UpToDate.invalidate(workDir);
        BuildPackages.ensure(env, plan.target().distro(), plan.buildPackages(), installPackages, workDir, console);
        Path tarball = sources.fetch(plan.source());
        long start = System.nanoTime();
        long sourceDate = new CPythonBuild(env, console, options).build(plan, workDir, tarball);
        new BuildInfo(sourceDate, Toolchain.detect(env, workDir)).write(workDir);
        UpToDate.mark(workDir, plan.fingerprint());
        console.info(id + ": compiled in " + Progress.format(java.time.Duration.ofNanos(System.nanoTime() - start))
                + " -> " + CPythonBuild.staging(workDir));
        return new Compiled(plan, workDir, true);
    }
}
