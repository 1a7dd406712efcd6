package dev.pyruntime.maven;

import dev.pyruntime.UserError;
import java.io.IOException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Packs each selected target as a reproducible {@code .tar.zst} in the output directory, named by the manifest's
 * archive template, with a {@code .sha256} and a metadata JSON beside it, and attaches it to the project (type
 * {@code tar.zst}, classifier = the target id) so {@code install} and {@code deploy} carry it too. Targets that are
 * not compiled or are stale are compiled first.
 *
 * @since 0.1.0
 */
@Mojo(name = "package", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class PackageMojo extends AbstractBuildingMojo {

    /**
     * The modification time of every archive entry: ISO-8601 with an offset, or seconds since the epoch. Defaults to
     * Maven's reproducible-builds property; when that is unset, SOURCE_DATE_EPOCH, and then the build's own date (the
     * CPython release's). Example: {@code -Dpython-runtime.outputTimestamp=2025-01-01T00:00:00Z}.
     */
    @Parameter(property = Properties.OUTPUT_TIMESTAMP, defaultValue = "${project.build.outputTimestamp}")
    protected String outputTimestamp;

    @Override
    protected void run() throws UserError, IOException {
        if (onlyVerifyingAnArchive("pack")) {
            noArchives();
            return;
        }
        packaged(true, outputTimestamp);
    }

    @Override
    protected void skipped() throws MojoExecutionException, MojoFailureException {
        noArchivesWhenSkipped();
    }
}
