package dev.pyruntime.plan;

import dev.pyruntime.Vocabulary;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.pyruntime.UserError;
import dev.pyruntime.env.HostInfo;
import dev.pyruntime.manifest.Manifest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The selected targets as a CI matrix: one entry per target the manifest does not exclude, wherever it can be built
 * (each CI job runs on a runner of the target's arch, in a job container of the target's distro where the runner is
 * another distro), in the GitHub Actions {@code strategy.matrix} form
 * {@code {"include": [...]}}.
 */
public final class Matrix {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private Matrix() {
    }

    /**
     * One CI job.
     *
     * @param target  the target id, for {@code -Dpython-runtime.targets}
     * @param version the CPython version
     * @param variant the variant ({@code freethreaded}), {@code default} for the default build
     * @param distro  the distro id
     * @param arch    the Debian arch
     * @param runner    the runner label for the arch (the manifest's {@code runners}); for an arch the manifest's
     *                  {@code cross} sends to another ({@code matrix: cross}), that arch's runner, which
     *                  cross-compiles it
     * @param container the image the job runs in when the target builds on the host of a distro the runner is not
     *                  ({@code debian:12} for a debian-12 target on an Ubuntu runner), or empty: the job runs on the
     *                  runner itself (a host target of the runner's own distro, a container target, which starts
     *                  its build image with the runner's engine, or a runner whose distro the label does not say)
     */
    public record Entry(String target, String version, String variant, String distro, String arch, String runner,
                        String container) {
    }

    /** The distro of a GitHub-hosted runner label ({@code ubuntu-24.04}, {@code ubuntu-24.04-arm}), or null. */
    static String runnerDistro(String runner) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(ubuntu)-(\\d\\d\\.\\d\\d)(-arm)?").matcher(runner);
        return m.matches() ? m.group(1) + "-" + m.group(2) : null;
    }

    /** The job container a host target needs on its runner, or empty (see {@link Entry#container()}). */
    static String container(Target t, String runner) {
        String runnerDistro = runnerDistro(runner);
        if (t.distro().executor() == dev.pyruntime.manifest.Distro.Executor.CONTAINER || runnerDistro == null
                || runnerDistro.equals(t.distro().id())) {
            return "";
        }
        return t.distro().name() + ":" + t.distro().version();
    }

    /** The matrix with an {@code include} list, as {@code strategy.matrix} takes it. */
    public record Include(List<Entry> include) {
    }

    /**
     * @param globs    the target selection, empty for all
     * @param profiles the active profiles (their excludes apply)
     * @throws UserError when an arch of a selected target has no runner
     */
    public static List<Entry> of(Manifest manifest, List<String> globs, List<String> profiles, HostInfo host,
                                 Vocabulary words) throws UserError {
        return jobs(manifest, globs, profiles, host, words).stream().map(Job::entry).toList();
    }

    /** An entry with the name of the archive its job would publish. */
    private record Job(Entry entry, String archiveName) {
    }

    private static List<Job> jobs(Manifest manifest, List<String> globs, List<String> profiles, HostInfo host,
                                  Vocabulary words) throws UserError {
        List<Job> out = new ArrayList<>();
        TreeSet<String> noRunner = new TreeSet<>();
        for (TargetStatus s : TargetSelector.select(manifest, globs, profiles, host, false, words)) {
            if (s.state() == TargetStatus.State.EXCLUDED) {
                continue;
            }
            Target t = s.target();
            // The manifest's cross set-up may send an arch's targets to a runner of the arch that cross-compiles them.
            Manifest.Cross cross = manifest.cross().get(t.arch());
            String runnerArch = cross != null && cross.matrixCross() && cross.covers(t.distro().id()) ? cross.from()
                    : t.arch();
            String runner = manifest.runners().get(runnerArch);
            if (runner == null) {
                noRunner.add(runnerArch);
                continue;
            }
            out.add(new Job(new Entry(t.id(), t.release().version().toString(), t.variant(), t.distro().id(), t.arch(), runner,
                    container(t, runner)), Planner.archiveName(manifest, t)));
        }
        if (!noRunner.isEmpty()) {
            throw new UserError(manifest.fileName() + ": no CI runner for arch " + String.join(", ", noRunner)
                    + "; add one per arch, such as 'runners: { " + noRunner.first() + ": <runner label> }'");
        }
        return out;
    }

    /**
     * The {@code matrix} step.
     *
     * @param manifest     the manifest file
     * @param targets      the target selection, or null for all
     * @param profiles     comma-separated active profiles, or blank
     * @param matrixFile   where the JSON is written
     * @param githubOutput a GitHub Actions step-output file to append {@code matrix=<json>} to, or null
     */
    public record Request(java.nio.file.Path manifest, String targets, String profiles, java.nio.file.Path matrixFile,
                          java.nio.file.Path githubOutput) {
    }

    /** What the matrix asks of the repository the targets publish to (the publish package's publisher answers). */
    public interface PublishedArchives {
        /** The archives the repository's index lists, by name, with the SHA-256 it names. */
        java.util.Map<String, String> indexed() throws UserError, IOException;

        /** The SHA-256 of the published archive {@code archiveName}, or empty when it is not published. */
        java.util.Optional<String> published(String archiveName) throws UserError, IOException;

        /** Where {@code archiveName} is published, for the log. */
        String url(String archiveName);

        /** The repository, as messages name it. */
        String describe();
    }

    /**
     * The repository the targets publish to, asked so that a published target costs no CI job.
     *
     * @param archives         reads the repository; writes nothing
     * @param rebuildPublished give published targets a job anyway (their deploy builds and compares them)
     * @param setting          the front end's name for {@code rebuildPublished}, for the log
     */
    public record Published(PublishedArchives archives, boolean rebuildPublished, String setting) {
    }

    /**
     * Loads the manifest (its warnings to {@code console}), selects the targets, writes the matrix to the request's
     * file (and step output) and returns its JSON.
     */
    public static String run(Request request, dev.pyruntime.Console console, HostInfo host) throws UserError, IOException {
        return run(request, null, console, host);
    }

    /**
     * As {@link #run(Request, dev.pyruntime.Console, HostInfo)}, leaving out the targets whose archive the repository's
     * index lists and that is there with the bytes the index names, each named in the log with "already published",
     * unless {@code published.rebuildPublished()}. An archive that is published but not yet indexed keeps its job:
     * its deploy completes it; so does an indexed one that is missing or has other bytes: its deploy says why.
     *
     * @param published the repository to ask, or null to give every selected target a job
     */
    public static String run(Request request, Published published, dev.pyruntime.Console console, HostInfo host)
            throws UserError, IOException {
        Vocabulary words = console.words();
        Manifest m = dev.pyruntime.manifest.ManifestLoader.load(request.manifest());
        for (dev.pyruntime.manifest.Problem w : m.warnings()) {
            console.warn(w.toString());
        }
        List<Job> jobs = jobs(m, TargetSelector.parseSelection(request.targets(), words),
                Planner.activeProfiles(m, request.profiles(), words), host, words);
        List<Entry> entries = published == null ? jobs.stream().map(Job::entry).toList()
                : withoutPublished(jobs, published, console);
        String json = toJson(entries);
        java.nio.file.Path file = request.matrixFile();
        java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
        dev.pyruntime.AtomicFiles.writeString(file, json + "\n");
        console.info("Matrix: " + entries.size() + " target" + (entries.size() == 1 ? "" : "s") + " -> " + file);
        if (request.githubOutput() != null) {
            java.nio.file.Path out = request.githubOutput().toAbsolutePath();
            java.nio.file.Files.createDirectories(out.getParent());
            java.nio.file.Files.writeString(out, "matrix=" + json + "\n", java.nio.charset.StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            console.info("Step output 'matrix' appended to " + request.githubOutput());
        }
        return json;
    }

    private static List<Entry> withoutPublished(List<Job> jobs, Published published, dev.pyruntime.Console console)
            throws UserError, IOException {
        PublishedArchives p = published.archives();
        java.util.Map<String, String> indexed = jobs.isEmpty() ? java.util.Map.of() : p.indexed();
        List<Entry> out = new ArrayList<>();
        int left = 0;
        for (Job job : jobs) {
            String name = job.archiveName();
            String target = job.entry().target();
            String sha256 = indexed.get(name);
            if (sha256 != null) {
                // The index is a summary anyone with write access can edit, and an archive can be removed by hand:
                // a target is left out only when its archive is there with the bytes the index names.
                java.util.Optional<String> there = p.published(name);
                if (!there.equals(java.util.Optional.of(sha256))) {
                    console.info(target + ": " + p.url(name) + " is listed in the index (sha256 " + sha256 + ") but "
                            + (there.isEmpty() ? "not published" : "published with sha256 " + there.get())
                            + ": a job, whose deploy finds out");
                    out.add(job.entry());
                    continue;
                }
                console.info(target + ": already published at " + p.url(name) + " (sha256 " + sha256 + "): "
                        + (published.rebuildPublished() ? "a job anyway, to build it again and compare ("
                        + published.setting() + "=true)" : "no job (" + published.setting() + "=true gives it one)"));
                if (!published.rebuildPublished()) {
                    left++;
                    continue;
                }
            } else if (p.published(name).isPresent()) {
                console.info(target + ": " + p.url(name) + " is published but not yet in the index: a job, whose "
                        + "deploy completes it");
            }
            out.add(job.entry());
        }
        if (left > 0) {
            console.info("Matrix: " + left + " of " + jobs.size() + " selected target" + (jobs.size() == 1 ? "" : "s")
                    + " already published in " + p.describe());
        }
        return out;
    }

    /** One line of JSON, as GitHub's {@code $GITHUB_OUTPUT} needs. */
    public static String toJson(List<Entry> entries) throws IOException {
        return JSON.writeValueAsString(new Include(entries));
    }
}
