package dev.pyruntime.maven;

import dev.pyruntime.UserError;
import dev.pyruntime.archive.Packager;
import dev.pyruntime.publish.Publisher;
import dev.pyruntime.publish.Repository;
import java.io.IOException;
import java.time.Clock;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Publishes each selected target's verified archive, its {@code .sha256} and its metadata to a repository, then adds
 * it to the repository's {@code index.json}. A published archive is never overwritten: the same bytes again are
 * skipped as "already published", other bytes under the same key fail the build. Archives not yet verified in this
 * build are verified (and packed, and compiled) first.
 */
@Mojo(name = "deploy", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true)
public class DeployMojo extends VerifyMojo {

    /**
     * Where to publish: {@code file:/path} (a directory, for mirrors and tests). Example:
     * {@code -Dpython-runtime.repository=file:/srv/runtimes}.
     */
    @Parameter(property = Properties.REPOSITORY)
    protected String repository;

    /**
     * Print what would be published, and write nothing. Example: {@code -Dpython-runtime.dryRun=true}.
     */
    @Parameter(property = Properties.DRY_RUN, defaultValue = "false")
    protected boolean dryRun;

    @Override
    protected void run() throws UserError, IOException {
        Repository repo = Publisher.open(repository);
        var archives = verified();
        Publisher publisher = new Publisher(console(), repo, "", dryRun, Clock.systemUTC());
        for (Packager.Packaged p : archives) {
            publisher.publish(p.archive());
        }
    }
}
