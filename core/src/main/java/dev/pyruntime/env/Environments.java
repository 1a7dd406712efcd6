package dev.pyruntime.env;

import dev.pyruntime.Console;
import dev.pyruntime.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands out each target's build environment: this machine for {@code executor: host}, a container of the distro's
 * image for {@code executor: container} (the engine is found on first use). One step of the lifecycle opens it and
 * closes it at its end, which removes the containers it started.
 */
public final class Environments implements AutoCloseable {
    private final Console console;
    private final HostInfo host;
    private final ContainerEngine.Settings settings;
    private final List<ContainerEnvironment> started = new ArrayList<>();
    private ContainerEngine engine;

    public Environments(Console console, HostInfo host, ContainerEngine.Settings settings) {
        this.console = console;
        this.host = host;
        this.settings = settings;
    }

    /**
     * @param target   the target id, for messages
     * @param image    the build image, or null for this machine
     * @param distro   the distro id the image must be
     * @param packages the distro's build packages
     * @param workDir  the target's work directory: in a container, the only host directory it sees (at the same path)
     */
    public BuildEnvironment forTarget(String target, String image, String distro, String arch, List<String> packages,
                                      Path workDir) throws UserError {
        if (image == null) {
            return new HostEnvironment(host);
        }
        ContainerEnvironment env = ContainerEnvironment.start(engine(target), image, target, distro, arch, packages,
                List.of(workDir.toAbsolutePath()), console);
        started.add(env);
        return env;
    }

    /** Fails with {@link Unavailable} when no container engine works here or it lacks {@code image} (pulled first where allowed). */
    public void requireImage(String target, String image) throws UserError {
        engine(target).requireImage(image, target);
    }

    private ContainerEngine engine(String target) throws UserError {
        if (engine == null) {
            engine = ContainerEngine.detect(settings, host, target);
        }
        return engine;
    }

    /** Stops using a target's environment: removes its container, if it has one. */
    public void release(BuildEnvironment env) {
        if (env instanceof ContainerEnvironment c && started.remove(c)) {
            c.close();
        }
    }

    @Override
    public void close() {
        started.forEach(ContainerEnvironment::close);
        started.clear();
    }
}
