package dev.pyruntime.env;

import dev.pyruntime.UserError;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where a target's build steps run: this machine ({@link HostEnvironment}) or a container of the target's distro
 * ({@link ContainerEnvironment}). Everything that reads or builds for a target goes through this seam, so the
 * answers come from the target's own distro.
 */
public interface BuildEnvironment {

    /** A short description for logs and plans, such as {@code host debian-12/amd64}. */
    String describe();

    /** {@code host} or {@code container}. */
    String executor();

    /**
     * Whether steps run on this machine and can use its own tools and caches (ccache and its cache directory): a
     * container's steps see only what its image has and the bind-mounted work directory.
     */
    default boolean seesHostTools() {
        return false;
    }

    /**
     * Runs a command (an argument list, never a shell line) and captures its output.
     *
     * @param command the program and its arguments
     * @param env     variables to set on top of a clean environment
     * @param workDir the working directory, as seen inside the environment
     * @return what it printed and how it exited
     * @throws UserError when the program is not installed in the environment
     */
    ExecResult run(List<String> command, Map<String, String> env, Path workDir) throws UserError;

    /**
     * Runs a long command (an argument list), writing its merged stdout and stderr to {@code log} and handing each
     * line to {@code lines} as it comes.
     *
     * @return the exit status
     * @throws UserError when the program is not installed in the environment
     */
    int stream(List<String> command, Map<String, String> env, Path workDir, Path log,
               java.util.function.Consumer<String> lines) throws UserError, java.io.IOException;
}
