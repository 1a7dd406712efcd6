package dev.pyruntime.publish;

import dev.pyruntime.UserError;
import dev.pyruntime.archive.Pack;
import dev.pyruntime.plan.BuildPlan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The {@code deploy} goal's work over its targets, one {@link Publisher} call each. */
public final class DeployStep {
    private DeployStep() {
    }

    /**
     * The {@code deploy} step: publishes each planned target, from its verified archive when this build has one
     * ({@code built}, by target id), or else completes what is published of it from the archive in
     * {@code outputDirectory}, if any. Returns one line that sums up the outcomes.
     */
    public static String run(Publisher publisher, List<BuildPlan> plans, Map<String, Pack.Packaged> built,
                             Path outputDirectory)
            throws UserError, IOException {
        List<Publisher.Published> results = new ArrayList<>();
        for (BuildPlan plan : plans) {
            Pack.Packaged p = built.get(plan.target().id());
            results.add(p != null ? publisher.publish(p.archive())
                    : publisher.complete(Publisher.Release.of(plan), Pack.archiveFor(plan, outputDirectory)));
        }
        Map<Publisher.Outcome, Integer> counts = new EnumMap<>(Publisher.Outcome.class);
        results.forEach(r -> counts.merge(r.outcome(), 1, Integer::sum));
        long incomplete = results.stream().filter(r -> r.outcome() == Publisher.Outcome.COMPLETED && !r.missing().isEmpty())
                .count();
        return "Deploy to " + publisher.describe() + ": " + counts.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase(Locale.ROOT).replace('_', ' '))
                .collect(Collectors.joining(", "))
                + (incomplete > 0 ? "; " + incomplete + " still incomplete (see the warnings above)" : "");
    }
}
