package dev.pyruntime.verify;

import dev.pyruntime.UserError;
import dev.pyruntime.env.BuildEnvironment;
import java.nio.file.Path;
import java.util.List;

/**
 * Where verify's run-image check runs: a container of the target distro's bare run image with only the runtime's
 * own packages installed (the Maven-side caller decides how containers are started).
 */
public interface RunImages {
    /**
     * Whether the run image can start here at all.
     *
     * @throws UserError when it cannot (no container engine, no such image): the check is then skipped, with this
     *                   message as the reason
     */
    void requireAvailable(String target, String image) throws UserError;

    /**
     * Starts the run environment: {@code image} with {@code packages} installed, {@code mount} visible at the same path.
     *
     * @throws UserError when that fails (a package apt cannot install, an image of another distro): the check fails
     */
    BuildEnvironment open(String target, String image, String distro, String arch, List<String> packages, Path mount)
            throws UserError;

    /** Stops it (removes its container). */
    void release(BuildEnvironment env);
}
