package dev.pyruntime.maven;

import dev.pyruntime.UserError;
import dev.pyruntime.archive.Pack;
import dev.pyruntime.env.HostInfo;
import dev.pyruntime.plan.BuildPlan;
import dev.pyruntime.publish.DeployStep;
import dev.pyruntime.publish.Publisher;
import dev.pyruntime.publish.Repository;
import dev.pyruntime.verify.Verify;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Publishes each selected target's verified archive, its {@code .sha256}, its metadata and its index entry to a
 * repository. Asks the repository first: a target whose archive is already published is not built again, only
 * completed (a {@code .sha256}, metadata or index entry that an interrupted deploy left out is added). A published
 * archive is never overwritten: other bytes under its key fail the build. The other targets are compiled, packed and
 * verified first, as needed.
 *
 * @since 0.1.0
 */
@Mojo(name = "deploy", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true)
public class DeployMojo extends AbstractBuildingMojo {

    /**
     * Print what would be published, and write nothing. Example: {@code -Dpython-runtime.dryRun=true}.
     */
    @Parameter(property = Properties.DRY_RUN, defaultValue = "false")
    protected String dryRun;

    /**
     * Maven's own switch for the deploy phase, which CI templates pass to build without publishing: when
     * {@code true}, this goal publishes nothing either (the goals before it still build, pack and verify). Example:
     * {@code -Dmaven.deploy.skip=true}. {@code -DskipTests} does not skip {@code verify}, which guards what deploy
     * publishes.
     */
    @Parameter(property = Properties.MAVEN_DEPLOY_SKIP, defaultValue = "false")
    protected String mavenDeploySkip;

    @Override
    protected List<Switch> switches() {
        List<Switch> out = new java.util.ArrayList<>(super.switches());
        out.add(new Switch(Properties.DRY_RUN, dryRun, false));
        out.add(new Switch(Properties.MAVEN_DEPLOY_SKIP, mavenDeploySkip, false));
        return out;
    }

    /**
     * The modification time of every archive entry, when this goal packs a target first: as the {@code package}
     * goal's. Example: {@code -Dpython-runtime.outputTimestamp=2025-01-01T00:00:00Z}.
     */
    @Parameter(property = Properties.OUTPUT_TIMESTAMP, defaultValue = "${project.build.outputTimestamp}")
    protected String outputTimestamp;

    @Override
    protected void run() throws UserError, IOException {
        if (on(Properties.MAVEN_DEPLOY_SKIP)) {
            getLog().info("Publishing nothing (" + Properties.MAVEN_DEPLOY_SKIP + "=true); " + Properties.SKIP
                    + "=true skips every goal of python-runtime");
            return;
        }
        if (session.getUserProperties().containsKey(Properties.ARCHIVE)) {
            throw new UserError(Properties.ARCHIVE + " names an archive to verify on its own, and deploy publishes only "
                    + "the archives this project built and verified; run mvn python-runtime:verify -D"
                    + Properties.ARCHIVE + "=... without deploy, or drop " + Properties.ARCHIVE + " to deploy");
        }
        refuseOffline();
        List<BuildPlan> plans = plans();
        if (plans.isEmpty()) {
            return;
        }
        try (Repository repo = openRepository()) {
            Map<String, BuildPlan> byTarget = plans.stream().collect(Collectors.toMap(p -> p.target().id(), p -> p));
            // An archive found published that this run did not upload is verified from its own bytes, always in the
            // sandbox, before anything is written beside it.
            Publisher publisher = new Publisher(console(), repo, "", on(Properties.DRY_RUN), Clock.systemUTC()).verifyingWith(
                    (release, file) -> new Verify(console(), HostInfo.detect(), containers())
                            .verifyFile(byTarget.get(release.target()), file, file.getParent(), false),
                    outputDirectory.toPath().resolve("deploy-verify")).signingWith(signingKey().orElse(null));
            publisher.checkIndex();
            Map<String, Pack.Packaged> built = verified(outputTimestamp).stream()
                    .collect(Collectors.toMap(p -> p.plan().target().id(), p -> p));
            getLog().info(DeployStep.run(publisher, plans, built, outputDirectory.toPath()));
        }
    }

    @Override
    protected boolean isDeploy() {
        return true;
    }

    @Override
    protected void skipped() throws MojoExecutionException, MojoFailureException {
        noArchivesWhenSkipped();
    }
}
