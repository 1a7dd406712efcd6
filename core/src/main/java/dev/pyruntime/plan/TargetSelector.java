package dev.pyruntime.plan;

import dev.pyruntime.Chars;
import dev.pyruntime.Vocabulary;
import dev.pyruntime.Setting;
import dev.pyruntime.UserError;
import dev.pyruntime.env.HostInfo;
import dev.pyruntime.manifest.Distro;
import dev.pyruntime.manifest.Manifest;
import dev.pyruntime.manifest.OverrideRule;
import dev.pyruntime.manifest.Release;
import dev.pyruntime.manifest.Selector;
import dev.pyruntime.manifest.Suggest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Expands a manifest into targets (versions x distros x arches), applies the manifest's excludes and the user's
 * selection, and says which targets this machine can build. Nothing is dropped silently: skipped and excluded
 * targets carry their reason.
 */
public final class TargetSelector {
    private TargetSelector() {
    }

    /**
     * Every target of the manifest, in manifest order: versions, then variants (the default build first, then each
     * declared variant the release has), then distros, then arches.
     */
    public static List<Target> expand(Manifest manifest) {
        List<Target> out = new ArrayList<>();
        for (Release r : manifest.versions()) {
            for (String variant : manifest.variantsOf(r.version())) {
                for (Distro d : manifest.distros().values()) {
                    for (String arch : manifest.arches()) {
                        out.add(new Target(r, variant, d, arch));
                    }
                }
            }
        }
        return out;
    }

    /** Splits {@code 3.11.*-debian-12-amd64,3.13.5-*} into globs, dropping empty items; null or blank gives none. */
    public static List<String> parseGlobs(String selection) {
        if (selection == null || selection.isBlank()) {
            return List.of();
        }
        return Arrays.stream(selection.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * The targets setting as globs for {@link #select}: not given (null) selects every target. Given, it must hold a
     * glob: an empty value ({@code -Dpython-runtime.targets=}, say from a CI variable that was not set), a space or
     * a lone comma would otherwise select every target, and start a build of all of them.
     *
     * @throws UserError when the setting is given but holds no glob
     */
    public static List<String> parseSelection(String selection, Vocabulary words) throws UserError {
        List<String> globs = parseGlobs(selection);
        if (selection != null && globs.isEmpty()) {
            throw new UserError(words.name(Setting.TARGETS) + " is given but names no target ('"
                    + Chars.shown(selection) + "'): give target ids or globs, comma-separated, such as "
                    + words.set(Setting.TARGETS, "3.13.*-debian-12-amd64") + "; to select every target, leave it "
                    + "out or give " + words.set(Setting.TARGETS, "'*'"));
        }
        return globs;
    }

    /**
     * @param globs    target id globs; empty selects all
     * @param profiles active profiles
     * @param host     this machine
     * @throws UserError when a glob matches no target
     */
    public static List<TargetStatus> select(Manifest manifest, List<String> globs, List<String> profiles, HostInfo host,
                                            Vocabulary words) throws UserError {
        return select(manifest, globs, profiles, host, true, words);
    }

    /**
     * @param buildHere whether the selection is for building on this machine: then a target named by its whole id
     *                  that this machine cannot build is an error (the CI matrix lists targets for other machines)
     * @param words     the front end's names for its settings, for the errors
     */
    public static List<TargetStatus> select(Manifest manifest, List<String> globs, List<String> profiles, HostInfo host,
                                            boolean buildHere, Vocabulary words) throws UserError {
        List<Target> all = expand(manifest);
        List<String> ids = all.stream().map(Target::id).toList();
        for (String g : globs) {
            if (ids.stream().noneMatch(id -> Selector.glob(g, id))) {
                throw new UserError(words.name(Setting.TARGETS) + ": '" + Chars.shown(g) + "' matches no target of "
                        + manifest.fileName()
                        + Suggest.didYouMean(g, ids) + " (targets: " + String.join(", ", ids) + ")");
            }
        }
        List<TargetStatus> out = new ArrayList<>();
        for (Target t : all) {
            if (!globs.isEmpty() && globs.stream().noneMatch(g -> Selector.glob(g, t.id()))) {
                continue;
            }
            OverrideRule excluder = manifest.overrides().stream()
                    .filter(o -> o.exclude() && o.when().matches(t.release().version(), t.variant(), t.distro().id(), t.arch(),
                            profiles))
                    .findFirst().orElse(null);
            if (excluder != null) {
                out.add(new TargetStatus(t, TargetStatus.State.EXCLUDED, "excluded by " + excluder.label(manifest.fileName())
                        + (excluder.reason() == null ? "" : ": " + excluder.reason())));
                continue;
            }
            String cannot = cannotBuild(t, host, manifest);
            out.add(cannot == null ? new TargetStatus(t, TargetStatus.State.PLANNED,
                    manifest.crossFor(t.arch(), t.distro().id(), host.arch()) == null ? "" : crossNote(host.arch()))
                    : new TargetStatus(t, TargetStatus.State.SKIPPED, cannot));
        }
        // A target named by its whole id is one the user (or a CI job) wants built here: skipping it would let the
        // job pass having built nothing. A glob keeps selecting what this machine can build.
        List<String> named = new ArrayList<>();
        for (TargetStatus st : out) {
            if (buildHere && st.state() == TargetStatus.State.SKIPPED && globs.contains(st.target().id())) {
                named.add(st.target().id() + ": " + st.reason() + "; build it " + where(st.target(), manifest));
            }
        }
        if (!named.isEmpty()) {
            throw new UserError(words.name(Setting.TARGETS) + " names " + (named.size() == 1 ? "a target" : "targets")
                    + " this machine (" + host.distroId() + ", " + host.arch() + ") cannot build:\n  "
                    + String.join("\n  ", named) + "\nA glob (such as 3.13.*-*-amd64) selects what this machine can "
                    + "build and lists the rest as skipped");
        }
        return out;
    }

    /** Where a target can be built, for messages: the machine it needs, and its arch's CI runner. */
    static String where(Target t, Manifest manifest) {
        String runner = manifest.runners().get(t.arch());
        String machine = t.distro().executor() == Distro.Executor.CONTAINER
                ? "on an " + t.arch() + " machine with podman or docker (it runs in " + t.distro().image() + ")"
                : "on a " + t.distro().id() + " " + t.arch() + " machine";
        return machine + (runner == null ? "" : "; the manifest's CI runner for " + t.arch() + " is " + runner);
    }

    /** How a planned cross target is listed. */
    static String crossNote(String buildArch) {
        return "cross-compiled on " + buildArch + " (manifest 'cross'), without PGO";
    }

    /**
     * Why this machine cannot build the target, or null when it can: natively, or cross-compiled where the manifest's
     * {@code cross} lets a machine of this arch build the target's arch.
     */
    static String cannotBuild(Target t, HostInfo host, Manifest manifest) {
        boolean otherArch = !t.arch().equals(host.arch());
        boolean cross = manifest.crossFor(t.arch(), t.distro().id(), host.arch()) != null;
        String noCross = otherArch && !cross ? " (" + whyNoCross(t, host.arch(), manifest) + ")" : "";
        if (t.distro().executor() == Distro.Executor.CONTAINER) {
            // A container runs the host's arch: another arch's target is cross-compiled in it, or needs its own machine.
            return !otherArch || cross ? null
                    : "this machine is " + host.arch() + ", the target's container (" + t.distro().image() + ") needs "
                    + t.arch() + noCross;
        }
        if (!t.distro().id().equals(host.distroId())) {
            return "this machine is " + host.distroId() + ", the target needs " + t.distro().id();
        }
        if (otherArch && !cross) {
            return "this machine is " + host.arch() + ", the target needs " + t.arch() + noCross;
        }
        return null;
    }

    private static String whyNoCross(Target t, String buildArch, Manifest manifest) {
        Manifest.Cross c = manifest.cross().get(t.arch());
        return c == null ? "the manifest's 'cross' does not let another arch cross-compile " + t.arch()
                : !c.covers(t.distro().id()) ? "the manifest cross-compiles " + t.arch() + " for "
                + String.join(", ", c.distros()) + " only"
                : "the manifest cross-compiles " + t.arch() + " on " + c.from() + " only";
    }
}
