package dev.pyruntime.maven;

import dev.pyruntime.UserError;
import dev.pyruntime.archive.Packager;
import dev.pyruntime.plan.BuildPlan;
import dev.pyruntime.publish.Publisher;
import dev.pyruntime.publish.Repository;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
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
public class DeployMojo extends VerifyMojo {

    /**
     * Print what would be published, and write nothing. Example: {@code -Dpython-runtime.dryRun=true}.
     */
    @Parameter(property = Properties.DRY_RUN, defaultValue = "false")
    protected boolean dryRun;

    @Override
    protected void run() throws UserError, IOException {
        if (archive != null) {
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
            Publisher publisher = new Publisher(console(), repo, "", dryRun, Clock.systemUTC());
            publisher.checkIndex();
            Map<String, Packager.Packaged> built = verified().stream()
                    .collect(Collectors.toMap(p -> p.plan().target().id(), p -> p));
            List<Publisher.Published> results = new ArrayList<>();
            for (BuildPlan plan : plans) {
                Packager.Packaged p = built.get(plan.target().id());
                results.add(p != null ? publisher.publish(p.archive())
                        : publisher.complete(release(plan), Packager.archiveFor(plan, outputDirectory.toPath())));
            }
            Map<Publisher.Outcome, Integer> counts = new EnumMap<>(Publisher.Outcome.class);
            results.forEach(r -> counts.merge(r.outcome(), 1, Integer::sum));
            long incomplete = results.stream()
                    .filter(r -> r.outcome() == Publisher.Outcome.COMPLETED && !r.missing().isEmpty()).count();
            getLog().info("Deploy to " + repo.describe() + ": " + counts.entrySet().stream()
                    .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '))
                    .collect(Collectors.joining(", "))
                    + (incomplete > 0 ? "; " + incomplete + " still incomplete (see the warnings above)" : ""));
        }
    }

    private static Publisher.Release release(BuildPlan plan) {
        var t = plan.target();
        return new Publisher.Release(t.id(), t.version(), t.distro(), t.distroName(), t.distroVersion(), t.arch(),
                plan.archive().name());
    }
}
