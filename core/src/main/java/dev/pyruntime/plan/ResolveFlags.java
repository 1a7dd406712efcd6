package dev.pyruntime.plan;

import dev.pyruntime.Console;
import dev.pyruntime.Directories;
import dev.pyruntime.Setting;
import dev.pyruntime.UserError;
import dev.pyruntime.env.BuildEnvironment;
import dev.pyruntime.env.ContainerEngine;
import dev.pyruntime.env.Environments;
import dev.pyruntime.env.HostInfo;
import dev.pyruntime.env.Unavailable;
import dev.pyruntime.manifest.Distro;
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
    private final ContainerEngine.Settings containers;

    public ResolveFlags(Console console, HostInfo host, ContainerEngine.Settings containers) {
        this.console = console;
        this.host = host;
        this.containers = containers;
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
        List<String> profiles = Planner.activeProfiles(manifest, request.profiles(), console.words());
        List<String> globs = TargetSelector.parseSelection(request.targets(), console.words());
        List<TargetStatus> statuses = TargetSelector.select(manifest, globs, profiles, host, console.words());
        boolean named = !globs.isEmpty();
        Directories.requireUsable(request.outputDirectory(), Setting.OUTPUT_DIRECTORY, console.words());
        List<BuildPlan> plans = new ArrayList<>();
        try (Environments envs = new Environments(console, host, containers)) {
            List<TargetStatus> checked = new ArrayList<>();
            for (TargetStatus s : statuses) {
                checked.add(s.planned() ? available(s, envs, named) : s);
            }
            PlanReport.targets(checked).forEach(console::info);
            for (TargetStatus s : checked) {
                if (s.planned()) {
                    plans.add(plan(manifest, s.target(), profiles, request, envs));
                }
            }
        }
        if (plans.isEmpty()) {
            console.warn("No target of " + manifest.fileName() + " can be built on this machine ("
                    + host.distroId() + "/" + host.arch() + "); nothing was planned");
        }
        return plans;
    }

    /**
     * A container target whose engine or image this machine lacks: an error when the user named it, else skipped
     * with the reason (every target was selected: build what this machine can, as for targets of another distro).
     */
    private static TargetStatus available(TargetStatus s, Environments envs, boolean named) throws UserError {
        try {
            // A container target needs its engine and image here (pulled first where allowed); a host target is here.
            if (s.target().distro().buildImage() != null) {
                envs.requireImage(s.target().id(), s.target().distro().buildImage());
            }
            return s;
        } catch (Unavailable e) {
            if (named) {
                throw e;
            }
            String reason = e.getMessage().replaceFirst("^" + java.util.regex.Pattern.quote(s.target().id()) + ":? ?", "")
                    .replaceAll("\\s*\n\\s*", " ");
            return new TargetStatus(s.target(), TargetStatus.State.SKIPPED, reason);
        }
    }

    /** Asks the target's build environment (a container's dpkg-buildflags for a container target) and writes the plan. */
    private BuildPlan plan(Manifest manifest, Target target, List<String> profiles, Request request, Environments envs)
            throws UserError, IOException {
        Path targetDir = request.outputDirectory().toAbsolutePath().resolve(target.id());
        Files.createDirectories(targetDir);
        Distro d = target.distro();
        // A cross target's environment is this machine's arch (a container of it too).
        String crossArch = manifest.crossFor(target.arch(), target.distro().id(), host.arch()) == null ? null : target.arch();
        BuildEnvironment env = envs.forTarget(target.id(), d.buildImage(), d.id(), crossArch == null ? target.arch()
                : host.arch(), d.packages(), targetDir);
        EnvironmentFacts facts;
        try {
            // The environment runs this machine's arch (a container too): another arch's target is cross-compiled.
            facts = EnvironmentFacts.read(env, targetDir, manifest.build(), crossArch);
        } finally {
            envs.release(env);
        }
        BuildPlan plan = Planner.plan(manifest, target, profiles, facts, targetDir.resolve("build").toString(),
                request.pluginVersion(), request.buildPython() == null ? null : new dev.pyruntime.flags.Flag(
                        request.buildPython().toString(), console.words().name(Setting.BUILD_PYTHON)));
        PlanJson.writeAtomically(plan, targetDir.resolve("plan.json"));
        PlanReport.plan(plan).forEach(console::info);
        PlanReport.diagnostics(plan, true).forEach(console::warn);
        PlanReport.diagnostics(plan, false).forEach(console::info);
        console.info("  -> " + targetDir.resolve("plan.json"));
        return plan;
    }

    /**
     * @param manifest        the manifest file
     * @param targets         comma-separated target id globs, or null for all (given, it must hold one)
     * @param profiles        comma-separated profile names, or blank
     * @param outputDirectory where per-target directories go
     * @param pluginVersion   recorded in each plan
     * @param buildPython     for cross builds: a Python of the target's version that runs here, or null to build one
     *                        from the same source
     */
    public record Request(Path manifest, String targets, String profiles, Path outputDirectory, String pluginVersion,
                          Path buildPython) {
        public Request(Path manifest, String targets, String profiles, Path outputDirectory, String pluginVersion) {
            this(manifest, targets, profiles, outputDirectory, pluginVersion, null);
        }
    }
}
