package dev.pyruntime.env;

import dev.pyruntime.Console;
import dev.pyruntime.Sha256;
import dev.pyruntime.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs a target's build steps in a container of its distro's build image. The image is first prepared once: the
 * distro's build packages it lacks are installed and the result is committed as
 * {@code localhost/python-runtime-prepared:<hash>}, keyed by the image's id and the package list. Then one container
 * of the prepared image idles, without network, with the target's work directory bind-mounted at the same path, and
 * every step runs in it with {@code exec}. Closing removes it; so does a JVM exit (Ctrl-C), and a JVM killed outright
 * leaves none behind either (see {@link ContainerEngine#start}).
 */
public final class ContainerEnvironment implements BuildEnvironment, AutoCloseable {
    static final String PREPARED = "localhost/python-runtime-prepared";

    private final ContainerEngine engine;
    private final String image;
    private final String imageId;
    private final String target;
    private final String container;
    private final String user;
    /** The attached run: its open standard input keeps the container alive (see {@link ContainerEngine#start}). */
    private final Process run;
    private final Thread removeOnExit;

    private ContainerEnvironment(ContainerEngine engine, String image, String imageId, String target, String container,
                                 Process run, String user) {
        this.engine = engine;
        this.run = run;
        this.image = image;
        this.imageId = imageId;
        this.target = target;
        this.container = container;
        this.user = user;
        this.removeOnExit = new Thread(() -> engine.remove(container), "python-runtime: remove " + container);
        Runtime.getRuntime().addShutdownHook(removeOnExit);
    }

    /**
     * Prepares the image (once per image id and package list) and starts the target's container.
     *
     * @param distro   the distro the image must be, such as {@code debian-13}
     * @param arch     the Debian arch the image must be
     * @param packages the distro's build packages
     * @param mounts   host directories the steps read and write (bind-mounted at the same path)
     */
    public static ContainerEnvironment start(ContainerEngine engine, String image, String target, String distro, String arch,
                                             List<String> packages, List<Path> mounts, Console console) throws UserError {
        String baseId = engine.requireImage(image, target);
        String prepared = prepare(engine, image, baseId, target, packages, console);
        String preparedId = engine.imageId(prepared);
        String name = "python-runtime-" + target.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + ProcessHandle.current().pid()
                + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
        Process run = engine.start(prepared, name, false, mounts, target);
        ContainerEnvironment env = new ContainerEnvironment(engine, image, preparedId == null ? baseId : preparedId, target,
                name, run, hostUser(engine, mounts));
        try {
            env.checkDistro(distro, arch);
        } catch (UserError | RuntimeException e) {
            env.close();
            throw e;
        }
        return env;
    }

    /**
     * The image to build in, tagged {@code localhost/python-runtime-prepared:<hash>}: {@code image} itself when it has
     * every build package, else a committed copy with the missing ones installed (made once; later runs find the tag).
     */
    static String prepare(ContainerEngine engine, String image, String baseId, String target, List<String> packages,
                          Console console) throws UserError {
        if (packages.isEmpty()) {
            return image;
        }
        String tag = PREPARED + ":" + Sha256.of((baseId + "\n" + String.join("\n", packages.stream().sorted().toList()))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 20);
        if (engine.imageId(tag) != null) {
            return tag;
        }
        String name = "python-runtime-prepare-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
        Process run = engine.start(image, name, true, List.of(), target);
        ContainerEnvironment env = new ContainerEnvironment(engine, image, baseId, target, name, run, null);
        try {
            List<String> missing = BuildPackages.missing(env, packages, Path.of("/"));
            if (missing.isEmpty()) {
                // Nothing to install: the tag alone remembers that, so the next run skips this check.
                engine.tag(image, tag, target);
                return tag;
            }
            console.info(target + ": preparing an image from " + image + " with " + String.join(" ", missing)
                    + " (once; kept as " + tag + ")");
            BuildPackages.ensure(env, target, packages, true, Path.of("/"), console);
            // Only the package lists apt just fetched: they would otherwise make every prepared image larger.
            env.run(List.of("apt-get", "clean"), Map.of(), Path.of("/"));
            engine.commit(name, tag, target);
            return tag;
        } finally {
            env.close();
        }
    }

    /**
     * Who runs the steps: the host user, so files in the bind-mounted work directory belong to them. Rootless podman
     * maps the container's root to that user already, and root is root; docker runs as root unless told otherwise.
     */
    private static String hostUser(ContainerEngine engine, List<Path> mounts) throws UserError {
        if (engine.kind().equals("podman") || mounts.isEmpty()) {
            return null;
        }
        try {
            int uid = (Integer) Files.getAttribute(mounts.get(0), "unix:uid");
            int gid = (Integer) Files.getAttribute(mounts.get(0), "unix:gid");
            return uid == 0 ? null : uid + ":" + gid;
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    private void checkDistro(String distro, String arch) throws UserError {
        ExecResult os = run(List.of("cat", "/etc/os-release"), Map.of(), Path.of("/"));
        String found = os.ok() ? HostInfo.distroFromText(os.stdout()) : "unknown";
        ExecResult dpkg = run(List.of("dpkg", "--print-architecture"), Map.of(), Path.of("/"));
        String foundArch = dpkg.ok() ? dpkg.stdout().trim() : "unknown";
        if (!found.equals(distro) || !foundArch.equals(arch)) {
            throw new UserError(target + ": the build image '" + image + "' is " + found + "/" + foundArch + ", but the "
                    + "target needs " + distro + "/" + arch + "; point the distro's 'image' at a " + distro + " image");
        }
    }

    @Override
    public String describe() {
        return "container " + image + " (" + engine.kind() + ", image " + shortId(imageId) + ")";
    }

    @Override
    public String executor() {
        return "container";
    }

    /** The exec command line: the step's variables, working directory and user, then the step itself. */
    List<String> exec(List<String> command, Map<String, String> env, Path workDir) {
        List<String> cmd = engine.command("exec");
        if (user != null) {
            cmd.addAll(List.of("--user", user, "--env", "HOME=/tmp"));
        }
        if (workDir != null) {
            cmd.addAll(List.of("--workdir", workDir.toAbsolutePath().toString()));
        }
        cmd.addAll(List.of("--env", "LC_ALL=C.UTF-8"));
        env.forEach((k, v) -> cmd.addAll(List.of("--env", k + "=" + v)));
        cmd.add(container);
        cmd.addAll(command);
        return cmd;
    }

    @Override
    public ExecResult run(List<String> command, Map<String, String> env, Path workDir) throws UserError {
        ExecResult r = engine.run(exec(command, env, workDir));
        if (notFound(r.exitCode(), r.stderr())) {
            throw notInstalled(command.get(0));
        }
        return r;
    }

    @Override
    public int stream(List<String> command, Map<String, String> env, Path workDir, Path log, Consumer<String> lines)
            throws UserError, IOException {
        List<String> last = new ArrayList<>();
        int exit = engine.stream(exec(command, env, workDir), log, line -> {
            if (last.size() == 3) {
                last.remove(0);
            }
            last.add(line);
            lines.accept(line);
        });
        if (notFound(exit, String.join("\n", last))) {
            throw notInstalled(command.get(0));
        }
        return exit;
    }

    /** podman and docker exit 127 when the program is not in the container (126 when it cannot be run). */
    private static boolean notFound(int exit, String stderr) {
        return exit == 127 && (stderr.contains("executable file") || stderr.contains("not found"));
    }

    private UserError notInstalled(String program) {
        return new UserError(target + ": '" + program + "' is not installed in the build image (" + describe()
                + "); add the package that provides it to the distro's 'packages' in the manifest");
    }

    /** Removes the container and everything running in it. */
    @Override
    public void close() {
        engine.remove(container, run);
        try {
            Runtime.getRuntime().removeShutdownHook(removeOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }

    /** Whether steps run as the container's root (not as the host user, as docker is told for a user who is not root). */
    boolean runsAsRoot() {
        return user == null;
    }

    /** The container's name. */
    String container() {
        return container;
    }

    private static String shortId(String id) {
        String hex = id == null ? "?" : id.replaceFirst("^sha256:", "");
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }
}
