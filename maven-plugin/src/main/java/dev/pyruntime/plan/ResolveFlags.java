package dev.pyruntime.plan;

import dev.pyruntime.Console;
import dev.pyruntime.UserError;
import dev.pyruntime.env.BuildEnvironment;
import dev.pyruntime.env.HostEnvironment;
import dev.pyruntime.env.HostInfo;
import dev.pyruntime.manifest.Manifest;
import dev.pyruntime.manifest.ManifestLoader;
import dev.pyruntime.manifest.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code resolve-flags} step: loads the manifest, selects targets and writes
 * {@code <outputDirectory>/<target-id>/plan.json} for each target this machine can build.
 */
public final class ResolveFlags {
    private final Console console;
    private final HostInfo host;

    public ResolveFlags(Console console, HostInfo host) {
        this.console = console;
        this.host = host;
    }

    /**
     * @param request what to resolve
     * @return the plans written, in target order
     */
    public List<BuildPlan> run(Request request) throws UserError, IOException {
        Manifest manifest = ManifestLoader.load(request.manifest());
        for (Problem w : manifest.warnings()) {
            console.warn(w.toString());
        }
        List<String> profiles = Planner.activeProfiles(manifest, request.profiles());
        List<TargetStatus> statuses = TargetSelector.select(manifest, TargetSelector.parseGlobs(request.targets()),
                profiles, host);
        PlanReport.targets(statuses).forEach(console::info);
        BuildEnvironment env = new HostEnvironment(host);
        List<BuildPlan> plans = new ArrayList<>();
        for (TargetStatus s : statuses) {
            if (!s.planned()) {
                continue;
            }
            Path targetDir = request.outputDirectory().resolve(s.target().id());
            Files.createDirectories(targetDir);
            EnvironmentFacts facts = EnvironmentFacts.read(env, targetDir, manifest.build());
            BuildPlan plan = Planner.plan(manifest, s.target(), profiles, facts, targetDir.resolve("build").toString(),
                    request.pluginVersion());
            PlanJson.writeAtomically(plan, targetDir.resolve("plan.json"));
            PlanReport.plan(plan).forEach(console::info);
            PlanReport.diagnostics(plan, true).forEach(console::warn);
            PlanReport.diagnostics(plan, false).forEach(console::info);
            console.info("  -> " + targetDir.resolve("plan.json"));
            plans.add(plan);
        }
        if (plans.isEmpty()) {
            console.warn("No target of " + manifest.fileName() + " can be built on this machine ("
                    + host.distroId() + "/" + host.arch() + "); nothing was planned");
        }
        return plans;
    }

    /**
     * @param manifest        the manifest file
     * @param targets         comma-separated target id globs, or blank for all
     * @param profiles        comma-separated profile names, or blank
     * @param outputDirectory where per-target directories go
     * @param pluginVersion   recorded in each plan
     */
    public record Request(Path manifest, String targets, String profiles, Path outputDirectory, String pluginVersion) {
    }
}
