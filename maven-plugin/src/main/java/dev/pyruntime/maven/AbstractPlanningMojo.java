package dev.pyruntime.maven;

import dev.pyruntime.PluginVersion;
import dev.pyruntime.UserError;
import dev.pyruntime.env.ContainerEngine;
import dev.pyruntime.env.HostInfo;
import dev.pyruntime.plan.BuildPlan;
import dev.pyruntime.plan.ResolveFlags;
import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The goals that plan targets on this machine ({@code resolve-flags} and the building goals): where their work goes,
 * how they reach a container engine, and the plans they share within one build. {@code matrix} plans nothing here,
 * so it has none of these parameters.
 */
public abstract class AbstractPlanningMojo extends AbstractRuntimeMojo {

    /**
     * Where per-target plans, builds and archives go. Example: {@code -Dpython-runtime.outputDirectory=/srv/build}.
     */
    @Parameter(property = Properties.OUTPUT_DIRECTORY, defaultValue = "${project.build.directory}/python-runtime",
            required = true)
    protected File outputDirectory;

    /**
     * The container engine for targets whose distro has {@code executor: container}: {@code auto} (the first of
     * podman and docker that answers), {@code podman}, {@code docker}, or the path of either.
     * Example: {@code -Dpython-runtime.container.engine=podman}.
     */
    @Parameter(property = Properties.CONTAINER_ENGINE, defaultValue = "auto")
    protected String containerEngine;

    /**
     * Arguments given to the engine before its subcommand, separated by spaces. On a host where podman needs them:
     * {@code -Dpython-runtime.container.engineArgs="--runtime runc --cgroup-manager cgroupfs"}.
     */
    @Parameter(property = Properties.CONTAINER_ENGINE_ARGS)
    protected String containerEngineArgs;

    /**
     * Extra arguments of the engine's {@code run}, separated by spaces.
     * Example: {@code -Dpython-runtime.container.runArgs="--ulimit nofile=8192:8192 --ulimit nproc=8192:8192"}.
     */
    @Parameter(property = Properties.CONTAINER_RUN_ARGS)
    protected String containerRunArgs;

    /**
     * Pull a build image that is not on this machine (never with {@code -o}); by default a missing image fails with
     * the command to pull or build it. Example: {@code -Dpython-runtime.container.pull=true}.
     */
    @Parameter(property = Properties.CONTAINER_PULL, defaultValue = "false")
    protected String containerPull;

    /**
     * For a cross build (a target of another arch that the manifest's {@code cross} lets this machine build): a
     * Python of the target's exact version that runs here, which configure's {@code --with-build-python} uses to
     * freeze modules and write sysconfig, and which byte-compiles the runtime. Such as the {@code bin/python3.11} of
     * a runtime of the same version built for this machine. By default the build makes one from the same source first
     * (about 1.5 minutes on 2 cores). Example: {@code -Dpython-runtime.buildPython=/opt/python-3.11.2/bin/python3.11}.
     */
    @Parameter(property = Properties.BUILD_PYTHON)
    protected File buildPython;

    @Override
    protected List<Switch> switches() {
        List<Switch> out = new java.util.ArrayList<>(super.switches());
        out.add(new Switch(Properties.CONTAINER_PULL, containerPull, false));
        return out;
    }

    /**
     * Whether {@code -Dpython-runtime.archive} names one archive to verify on its own. Then {@code resolve-flags},
     * {@code compile} and {@code package}, bound before {@code verify} in the lifecycle, plan, build and pack nothing
     * (and start no build container), so {@code mvn verify -Dpython-runtime.archive=FILE} checks that file only, as
     * {@code mvn python-runtime:verify} does.
     */
    protected boolean onlyVerifyingAnArchive(String verb) {
        if (session.getUserProperties().containsKey(Properties.ARCHIVE)) {
            getLog().info(Properties.ARCHIVE + " names an archive to verify on its own: nothing to " + verb
                    + " for this project's targets");
            return true;
        }
        return false;
    }

    /** How container targets reach their engine. */
    protected ContainerEngine.Settings containers() {
        return new ContainerEngine.Settings(containerEngine, ContainerEngine.Settings.split(containerEngineArgs),
                ContainerEngine.Settings.split(containerRunArgs), on(Properties.CONTAINER_PULL), session.isOffline(), MavenVocabulary.INSTANCE);
    }

    /** The request every goal's planning answers. */
    protected ResolveFlags.Request request() {
        return new ResolveFlags.Request(manifest.toPath(), targets, profile, outputDirectory.toPath(), PluginVersion.get(),
                buildPython == null ? null : buildPython.toPath().toAbsolutePath());
    }

    /**
     * The plans of this project's selected targets: resolved once per build and shared by the goals that follow, so a
     * lifecycle run asks dpkg-buildflags once.
     */
    protected List<BuildPlan> plans() throws UserError, IOException {
        return oncePerBuild(BuildPlan.class.getName(), () -> new ResolveFlags(console(), HostInfo.detect(), containers())
                .run(request()));
    }

    /** Work whose result the goals of one build share. */
    @FunctionalInterface
    protected interface Work<T> {
        T get() throws UserError, IOException;
    }

    /**
     * {@code work}'s result for this request, computed by the first goal of this project's build that asks and kept in
     * the plugin context for the goals after it.
     */
    @SuppressWarnings("unchecked")
    protected <T> T oncePerBuild(String what, Work<T> work) throws UserError, IOException {
        String key = what + ":" + request();
        Map<String, Object> context = getPluginContext();
        if (context != null && context.containsKey(key)) {
            return (T) context.get(key);
        }
        T value = work.get();
        if (context != null) {
            context.put(key, value);
        }
        return value;
    }
}
