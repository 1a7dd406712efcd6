package dev.pyruntime.env;

import dev.pyruntime.Vocabulary;
import dev.pyruntime.Setting;
import dev.pyruntime.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A container engine's command line (podman or docker) on this machine, with the arguments the user configured. It
 * finds images, runs the long-lived containers builds execute in, and commits prepared build images.
 */
public final class ContainerEngine {
    /**
     * What an image name may be: a container image reference as engines take it, which begins with a letter or digit
     * (so it cannot be read as an option) and has no space (so it stays one argument). The manifest's {@code image}
     * and {@code runImage} are checked against it too.
     */
    public static final String IMAGE_NAME = "[a-z0-9][A-Za-z0-9._/:@-]*";

    /** The engines tried, in order, when none is configured. */
    static final List<String> AUTO = List.of("podman", "docker");

    /**
     * How to reach the engine.
     *
     * @param engine     {@code auto}, {@code podman}, {@code docker}, or the path of either CLI
     * @param engineArgs arguments before the engine's subcommand, such as {@code --runtime runc --cgroup-manager cgroupfs}
     * @param runArgs    extra arguments of {@code run}, such as {@code --ulimit nofile=8192:8192}
     * @param pull       whether an image missing locally is pulled (never when offline)
     * @param offline    whether the run is offline (Maven's {@code -o})
     * @param words      the front end's names for these settings, for the errors that say which one to change
     */
    public record Settings(String engine, List<String> engineArgs, List<String> runArgs, boolean pull, boolean offline,
                           Vocabulary words) {
        public Settings(String engine, List<String> engineArgs, List<String> runArgs, boolean pull, boolean offline) {
            this(engine, engineArgs, runArgs, pull, offline, Vocabulary.PLAIN);
        }

        public static Settings defaults() {
            return new Settings("auto", List.of(), List.of(), false, false);
        }

        /** Splits a space-separated argument list, as written in a property. */
        public static List<String> split(String args) {
            return args == null || args.isBlank() ? List.of() : List.of(args.trim().split("\\s+"));
        }
    }

    private final String program;
    private final Settings settings;
    private final HostEnvironment cli;

    private ContainerEngine(String program, Settings settings, HostEnvironment cli) {
        this.program = program;
        this.settings = settings;
        this.cli = cli;
    }

    /**
     * The configured engine, or the first of podman and docker that answers {@code version}.
     *
     * @param forWhom the targets that need it, for the error
     */
    public static ContainerEngine detect(Settings settings, HostInfo host, String forWhom) throws UserError {
        HostEnvironment cli = HostEnvironment.forTools(host);
        List<String> candidates = settings.engine() == null || settings.engine().isBlank() || settings.engine().equals("auto")
                ? AUTO : List.of(settings.engine());
        List<String> why = new ArrayList<>();
        for (String program : candidates) {
            List<String> cmd = new ArrayList<>(List.of(program));
            cmd.addAll(settings.engineArgs());
            cmd.add("version");
            try {
                ExecResult r = cli.run(cmd, Map.of(), null);
                if (r.ok()) {
                    return new ContainerEngine(program, settings, cli);
                }
                why.add(program + ": '" + String.join(" ", cmd) + "' failed: " + firstLines(r.stderr() + r.stdout(), 3));
            } catch (UserError e) {
                why.add(program + ": not installed");
            }
        }
        throw new Unavailable(forWhom + " needs a container engine (executor: container), and none works on this machine:\n  "
                + String.join("\n  ", why) + "\nInstall one (apt-get install podman), or name a working one with "
                + settings.words().set(Setting.CONTAINER_ENGINE, "<podman|docker|path>") + " and its arguments with "
                + settings.words().set(Setting.CONTAINER_ENGINE_ARGS, "\"...\"") + ".");
    }

    /** {@code podman} or {@code docker}: which command-line dialect this is. */
    public String kind() {
        return Path.of(program).getFileName().toString().contains("docker") ? "docker" : "podman";
    }

    public String program() {
        return program;
    }

    /** The engine command with the configured global arguments, then {@code args}. */
    List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(program));
        cmd.addAll(settings.engineArgs());
        cmd.addAll(List.of(args));
        return cmd;
    }

    ExecResult run(List<String> command) throws UserError {
        return cli.run(command, Map.of(), null);
    }

    int stream(List<String> command, Path log, java.util.function.Consumer<String> lines) throws UserError, java.io.IOException {
        return cli.stream(command, Map.of(), null, log, lines);
    }

    /**
     * An image name as it goes on the engine's command line: one the manifest allows (the manifest reader refuses any
     * other with its file and line), so it is never read as an option. A second line of defence, for callers that do
     * not come through a manifest.
     */
    static String imageArgument(String image) {
        if (image == null || !image.matches(IMAGE_NAME)) {
            throw new IllegalArgumentException("not a container image name: '" + image + "'");
        }
        return image;
    }

    /** The image's id, or null when the engine does not have it. */
    public String imageId(String image) throws UserError {
        ExecResult r = run(command("image", "inspect", "--format", "{{.Id}}", imageArgument(image)));
        return r.ok() ? r.stdout().trim() : null;
    }

    /**
     * The id of {@code image}, pulling it when it is missing and pulling is allowed.
     *
     * @param target the target that needs it, for the error
     */
    public String requireImage(String image, String target) throws UserError {
        String id = imageId(image);
        if (id != null) {
            return id;
        }
        String pullHint = kind() + " pull " + image;
        if (settings.pull() && !settings.offline()) {
            ExecResult r = run(command("pull", imageArgument(image)));
            if (r.ok() && (id = imageId(image)) != null) {
                return id;
            }
            throw new Unavailable(target + ": the build image '" + image + "' is not on this machine and pulling it failed:\n"
                    + firstLines(r.stderr() + r.stdout(), 5) + "\nPull it yourself (" + pullHint + ") or build it; for a "
                    + "Debian release, tools/debootstrap-image makes one from the apt archive (see docs/containers.md).");
        }
        throw new Unavailable(target + ": the build image '" + image + "' is not on this machine (" + kind() + " has no image "
                + "of that name). Pull it (" + pullHint + "), or build it; for a Debian release, tools/debootstrap-image "
                + "makes one from the apt archive (see docs/containers.md)"
                + (settings.offline() ? "." : ". Or let the build pull it: " + settings.words().set(Setting.CONTAINER_PULL, "true") + "."));
    }

    /** What the container's first process prints once it runs, so exec can follow. */
    static final String READY = "python-runtime: container ready";

    /**
     * Starts a container that lives as long as this JVM; commands then run in it with {@code exec}. Its first process
     * waits for the end of its standard input, a pipe from this JVM through the engine's attached {@code run -i}: when
     * the JVM dies, however it dies (a CI job's SIGKILL runs no shutdown hook), the pipe closes, the container stops and
     * {@code --rm} removes it. So a killed build never leaves an idle container behind.
     *
     * @param network whether it may reach the network (only to install build packages; builds run without)
     * @param mounts  host directories bind-mounted at the same path
     * @return the attached {@code run}: keep it, and its standard input open, while the container is in use
     */
    Process start(String image, String name, boolean network, List<Path> mounts, String target) throws UserError {
        List<String> cmd = command("run", "--rm", "-i", "--name", name, "--network", network ? "host" : "none",
                "--entrypoint", "sh");
        for (Path m : mounts) {
            String p = m.toAbsolutePath().toString();
            if (p.contains(":") || p.contains(",")) {
                throw new UserError(target + ": cannot bind-mount " + p + " into a container (it contains ':' or ','); "
                        + "set " + settings.words().name(Setting.OUTPUT_DIRECTORY) + " to a plainer path");
            }
            cmd.addAll(List.of("-v", p + ":" + p));
        }
        cmd.addAll(settings.runArgs());
        // A fixed script, no manifest data in it.
        cmd.addAll(List.of(imageArgument(image), "-c", "echo '" + READY + "'; exec cat >/dev/null"));
        Process run = cli.spawn(cmd);
        List<String> output = new ArrayList<>();
        try {
            var out = new java.io.BufferedReader(new java.io.InputStreamReader(run.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.equals(READY)) {
                output.add(line);
            }
            if (line != null) {
                // Nothing more is expected; whatever the engine still says must not fill the pipe and block it.
                Thread drain = new Thread(() -> {
                    try {
                        out.transferTo(java.io.Writer.nullWriter());
                    } catch (java.io.IOException ignored) {
                        // the run ended
                    }
                }, "python-runtime: " + name);
                drain.setDaemon(true);
                drain.start();
                return run;
            }
            int exit = run.waitFor();
            remove(name);
            // The engine does not run containers here (rootless limits, --ulimit above the host's, ...).
            throw new Unavailable(target + ": " + kind() + " could not start a container of " + image + " (exit " + exit
                    + "):\n" + firstLines(String.join("\n", output), 10) + "\nThe command was: " + String.join(" ", cmd)
                    + "\nEngine arguments go in " + settings.words().name(Setting.CONTAINER_ENGINE_ARGS) + ", run arguments in "
                    + settings.words().name(Setting.CONTAINER_RUN_ARGS) + " (see docs/containers.md on podman).");
        } catch (java.io.IOException e) {
            run.destroyForcibly();
            remove(name);
            throw new UserError(target + ": reading " + kind() + " run's output failed: " + e, e);
        } catch (InterruptedException e) {
            run.destroyForcibly();
            remove(name);
            Thread.currentThread().interrupt();
            throw new UserError(target + ": interrupted while starting a container of " + image);
        }
    }

    /** Removes a container, running or not, and ends the attached {@code run} that started it. */
    void remove(String name, Process run) {
        remove(name);
        run.destroy();
        try {
            if (!run.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                run.destroyForcibly();
            }
        } catch (InterruptedException e) {
            run.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Removes a container, running or not. */
    void remove(String name) {
        try {
            // podman waits 10 s for a container's idle 'sleep' (pid 1 ignores SIGTERM) unless told not to; docker kills.
            run(kind().equals("podman") ? command("rm", "-f", "-t", "0", name) : command("rm", "-f", name));
        } catch (UserError e) {
            // the engine vanished: nothing left to remove with it
        }
    }

    void commit(String container, String tag, String target) throws UserError {
        ExecResult r = run(command("commit", container, tag));
        if (!r.ok()) {
            throw new UserError(target + ": saving the prepared build image " + tag + " failed:\n"
                    + firstLines(r.stderr() + r.stdout(), 10));
        }
    }

    void tag(String image, String tag, String target) throws UserError {
        ExecResult r = run(command("tag", imageArgument(image), imageArgument(tag)));
        if (!r.ok()) {
            throw new UserError(target + ": tagging " + image + " as " + tag + " failed:\n" + firstLines(r.stderr() + r.stdout(), 10));
        }
    }

    static String firstLines(String text, int n) {
        return String.join("\n", text.strip().lines().limit(n).toList());
    }
}
