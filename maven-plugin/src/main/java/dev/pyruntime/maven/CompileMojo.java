package dev.pyruntime.maven;

import dev.pyruntime.UserError;
import java.io.IOException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Fetches and checks each selected target's source, builds CPython with the resolved plan, installs it into
 * {@code <outputDirectory>/<target-id>/staging}, applies the manifest's cleanup and byte-compiles the standard
 * library. A target whose plan has not changed since its last successful build is up to date and not rebuilt.
 *
 * @since 0.1.0
 */
@Mojo(name = "compile", defaultPhase = LifecyclePhase.COMPILE, threadSafe = true)
public class CompileMojo extends AbstractBuildingMojo {

    @Override
    protected void run() throws UserError, IOException {
        if (onlyVerifyingAnArchive("compile")) {
            return;
        }
        compiled();
    }
}
