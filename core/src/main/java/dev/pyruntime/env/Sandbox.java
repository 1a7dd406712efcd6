package dev.pyruntime.env;

import dev.pyruntime.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Where programs that came from an archive run: the interpreter, the module probe, {@code ldd} (which runs the
 * dynamic loader on a file), and the programs the extension and embedding checks build against the runtime. Such a
 * program runs with:
 *
 * <ul>
 *   <li>no network: a network namespace of its own on the host ({@code bwrap --unshare-net}); a container's, which
 *       has none ({@code --network none});</li>
 *   <li>not as root: {@code setpriv} drops to uid and gid 65534 ({@code nobody}) with no capabilities, an empty
 *       bounding set and {@code no_new_privs} whenever the caller is root (a user who is not root stays that user in
 *       a user namespace of its own);</li>
 *   <li>nothing writable but its scratch directories: on the host only {@code /usr}, {@code /etc} and the
 *       {@code /bin}, {@code /lib} links are there, read-only, plus the unpacked tree, read-only, a fresh
 *       {@code /tmp} and the scratch directories; the home directory, the Maven repository, the build's other files
 *       and every other path of the host are not there at all;</li>
 *   <li>bounds: {@link #SECONDS} of wall time ({@code timeout}, then SIGKILL), {@link #ADDRESS_SPACE} bytes of address
 *       space, {@link #PROCESSES} processes, files of at most {@link #FILE_SIZE} bytes, no core dumps
 *       ({@code prlimit}); a PID namespace of its own on the host, so nothing it started outlives it.</li>
 * </ul>
 *
 * On the host the mechanism is bubblewrap (Debian's {@code bubblewrap}), which needs no daemon and no image; in a
 * container target's build or run image, whose container already has no network and sees only the target's work
 * directory, {@code setpriv}, {@code prlimit} and {@code timeout} (util-linux and coreutils, in every Debian and
 * Ubuntu image) do the rest. {@link #of} tries the whole chain once and says why when it cannot work here.
 */
public final class Sandbox {
    /** Wall-clock time one confined program may take. */
    public static final int SECONDS = 600;
    /** Address space of one confined process: room for the compiler, far below this machine's memory. */
    public static final long ADDRESS_SPACE = 8L << 30;
    /** Processes (and threads) the confined user may have. */
    public static final int PROCESSES = 1024;
    /** The largest file a confined program may write. */
    public static final long FILE_SIZE = 2L << 30;
    /** The user and group a root caller drops to. */
    public static final int NOBODY = 65534;
    /** What {@code timeout} exits with when the program ran out of time. */
    public static final int TIMED_OUT = 124;

    private final BuildEnvironment env;
    private final boolean host;
    private final boolean dropToNobody;
    private final int seconds;
    private final String describe;
    /** The trees whose modes were already closed to the confined user (see {@link #confine}). */
    private final Set<Path> closedTrees = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private Sandbox(BuildEnvironment env, boolean host, boolean dropToNobody, int seconds) {
        this.env = env;
        this.host = host;
        this.dropToNobody = dropToNobody;
        this.seconds = seconds;
        this.describe = (host ? "bubblewrap on " : "setpriv in ") + env.describe() + ": no network, "
                + (dropToNobody ? "uid " + NOBODY + " without capabilities" : "not root") + ", only its scratch "
                + "directory writable, " + seconds + " s, " + (ADDRESS_SPACE >> 30) + " GiB, " + PROCESSES + " processes";
    }

    /** The same sandbox with another time bound: for tests of the bound itself. */
    Sandbox withSeconds(int limit) {
        return new Sandbox(env, host, dropToNobody, limit);
    }

    /**
     * The sandbox of {@code env}, tried once with {@code true}.
     *
     * @throws Unavailable saying why it cannot confine anything here (no bubblewrap, no user namespaces, ...) and how
     *                     to get it
     */
    public static Sandbox of(BuildEnvironment env) throws Unavailable {
        boolean host = env instanceof HostEnvironment;
        boolean root;
        if (host) {
            root = callerIsRoot();
        } else if (env instanceof ContainerEnvironment c) {
            if (!c.runsAsRoot()) {
                // docker told to run steps as the owner of the work directory: that user owns the tree and the
                // report, and without the container's root nothing can drop to another one.
                throw new Unavailable(env.describe() + " runs steps as the owner of the work directory, not as the "
                        + "container's root, so nothing can drop to an unprivileged user of its own; run Maven as root, "
                        + "or use podman");
            }
            root = true;
        } else {
            throw new Unavailable(env.describe() + " is neither this machine nor a container of ours, and has no sandbox");
        }
        Sandbox sandbox = new Sandbox(env, host, root, SECONDS);
        ExecResult r;
        try {
            r = sandbox.confine(null, List.of()).run(List.of("true"), Map.of(), Path.of("/"));
        } catch (UserError e) {
            throw new Unavailable((host ? "bubblewrap is not installed on this machine; install it with: apt-get "
                    + "install bubblewrap" : "the image lacks setpriv, prlimit or timeout (util-linux, coreutils)")
                    + " (" + e.getMessage().lines().findFirst().orElse("") + ")");
        } catch (IOException e) {
            throw new Unavailable("the sandbox cannot be set up: " + e.getMessage());
        }
        if (!r.ok()) {
            throw new Unavailable((host ? "bubblewrap" : "setpriv in " + env.describe()) + " cannot confine a program "
                    + "here (exit " + r.exitCode() + "): " + firstLine(r.stderr() + r.stdout())
                    + (host && !root ? "; unprivileged user namespaces must be enabled (sysctl "
                    + "kernel.unprivileged_userns_clone=1), or run as root" : ""));
        }
        return sandbox;
    }

    /** What confines, and how, for reports. */
    public String describe() {
        return describe;
    }

    /**
     * An environment whose programs run confined, seeing {@code readOnly} (the unpacked tree) and writing only to
     * {@code writable} (its scratch directories, made writable for the confined user here).
     *
     * @param readOnly a directory the programs read, or null
     */
    public BuildEnvironment confine(Path readOnly, List<Path> writable) throws IOException {
        return confine(readOnly, writable, List.of());
    }

    /**
     * As {@link #confine(Path, List)}, with {@code alsoReadOnly} (directories of this process's own, such as the
     * cross tools of {@link Emulation#tools}) visible read-only too.
     */
    public BuildEnvironment confine(Path readOnly, List<Path> writable, List<Path> alsoReadOnly) throws IOException {
        if (readOnly != null && !host && closedTrees.add(readOnly.toAbsolutePath().normalize())) {
            // A container sees the tree through a writable mount: only its modes keep the confined user out of it.
            // Once per tree: every check of it confines anew.
            withoutWriteForOthers(readOnly);
        }
        for (Path w : writable) {
            grant(w);
        }
        return new Confined(readOnly == null ? null : readOnly.toAbsolutePath().normalize(),
                writable.stream().map(p -> p.toAbsolutePath().normalize()).toList(),
                alsoReadOnly.stream().map(p -> p.toAbsolutePath().normalize()).toList());
    }

    /** Takes the group's and others' write permission from every file and directory of {@code tree} (not links). */
    static void withoutWriteForOthers(Path tree) throws IOException {
        try (java.util.stream.Stream<Path> all = Files.walk(tree)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isSymbolicLink(p)) {
                    continue;
                }
                Set<java.nio.file.attribute.PosixFilePermission> perms = Files.getPosixFilePermissions(p,
                        LinkOption.NOFOLLOW_LINKS);
                if (perms.remove(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE)
                        | perms.remove(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE)) {
                    Files.setPosixFilePermissions(p, perms);
                }
            }
        }
    }

    /** Lets the confined user create files in {@code dir}, which this process made. */
    private void grant(Path dir) throws IOException {
        if (dropToNobody && callerIsRoot()) {
            Files.setAttribute(dir, "unix:uid", NOBODY);
            Files.setAttribute(dir, "unix:gid", NOBODY);
        } else if (!host) {
            // A rootless engine maps the container's users to subordinate ids: no owner of ours matches them.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
    }

    private final class Confined implements BuildEnvironment {
        private final Path readOnly;
        private final List<Path> writable;
        private final List<Path> alsoReadOnly;

        Confined(Path readOnly, List<Path> writable, List<Path> alsoReadOnly) {
            this.readOnly = readOnly;
            this.writable = writable;
            this.alsoReadOnly = alsoReadOnly;
        }

        @Override
        public String describe() {
            return describe;
        }

        @Override
        public String executor() {
            return env.executor();
        }

        @Override
        public ExecResult run(List<String> command, Map<String, String> vars, Path workDir) throws UserError {
            try {
                return env.run(command(command, vars, workDir), host ? Map.of() : inner(vars), workDir);
            } finally {
                endLeftovers();
            }
        }

        @Override
        public int stream(List<String> command, Map<String, String> vars, Path workDir, Path log, Consumer<String> lines)
                throws UserError, IOException {
            try {
                return env.stream(command(command, vars, workDir), host ? Map.of() : inner(vars), workDir, log, lines);
            } finally {
                endLeftovers();
            }
        }

        /**
         * On the host, bubblewrap's PID namespace ends every process the program started when it ends. A container has
         * one PID namespace for all of verify: what the program left running there (a child it detached, one that
         * killed its own timeout) is ended here, by the confined user killing every process it may signal, which are
         * its own.
         */
        private void endLeftovers() throws UserError {
            if (!host) {
                env.run(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--inh-caps=-all",
                        "--bounding-set=-all", "--no-new-privs", "--", "sh", "-c", "kill -KILL -1"), Map.of(), Path.of("/"));
            }
        }

        private List<String> command(List<String> command, Map<String, String> vars, Path workDir) {
            List<String> cmd = new ArrayList<>();
            if (host) {
                cmd.addAll(bubblewrap(vars, workDir));
            }
            if (dropToNobody) {
                cmd.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
                        "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"));
            }
            cmd.addAll(List.of("prlimit", "--as=" + ADDRESS_SPACE, "--nproc=" + PROCESSES, "--fsize=" + FILE_SIZE,
                    "--core=0", "--"));
            cmd.addAll(List.of("timeout", "--kill-after=10", Integer.toString(seconds)));
            cmd.addAll(command);
            return cmd;
        }

        private List<String> bubblewrap(Map<String, String> vars, Path workDir) {
            List<String> b = new ArrayList<>(List.of("bwrap", "--unshare-net", "--unshare-ipc", "--unshare-pid",
                    "--unshare-uts", "--unshare-cgroup-try", "--die-with-parent", "--new-session", "--clearenv"));
            if (!dropToNobody) {
                b.add("--unshare-user");
            }
            b.addAll(List.of("--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"));
            for (String top : List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")) {
                Path p = Path.of(top);
                if (Files.isSymbolicLink(p)) {
                    try {
                        b.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), top));
                    } catch (IOException e) {
                        // unreadable: leave it out
                    }
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    b.addAll(List.of("--ro-bind", top, top));
                }
            }
            b.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"));
            // bubblewrap makes missing parents 0700, which the confined user could not pass through.
            Set<Path> parents = new LinkedHashSet<>();
            List<Path> mounted = new ArrayList<>(writable);
            if (readOnly != null) {
                mounted.add(0, readOnly);
            }
            mounted.addAll(alsoReadOnly);
            for (Path m : mounted) {
                for (Path p = m.getParent(); p != null && p.getParent() != null; p = p.getParent()) {
                    parents.add(p);
                }
            }
            parents.stream().sorted((x, y) -> Integer.compare(x.getNameCount(), y.getNameCount()))
                    .filter(p -> !p.startsWith("/usr") && !p.startsWith("/etc") && !p.equals(Path.of("/tmp")))
                    .forEach(p -> b.addAll(List.of("--perms", "0755", "--dir", p.toString())));
            if (readOnly != null) {
                b.addAll(List.of("--ro-bind", readOnly.toString(), readOnly.toString()));
            }
            for (Path r : alsoReadOnly) {
                b.addAll(List.of("--ro-bind", r.toString(), r.toString()));
            }
            for (Path w : writable) {
                b.addAll(List.of("--bind", w.toString(), w.toString()));
            }
            Map<String, String> all = inner(vars);
            all.forEach((k, v) -> b.addAll(List.of("--setenv", k, v)));
            Path cwd = workDir == null ? Path.of("/") : workDir.toAbsolutePath().normalize();
            if (!cwd.equals(Path.of("/")) && mounted.stream().noneMatch(cwd::startsWith)) {
                throw new IllegalArgumentException(cwd + " is not in the sandbox (" + mounted + ")");
            }
            b.addAll(List.of("--chdir", cwd.toString(), "--"));
            return b;
        }
    }

    /** The variables a confined program sees: a plain PATH, a home it can write, and the caller's own. */
    private static Map<String, String> inner(Map<String, String> vars) {
        Map<String, String> all = new java.util.TreeMap<>();
        all.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        all.put("HOME", "/tmp");
        all.put("TMPDIR", "/tmp");
        all.put("LC_ALL", "C.UTF-8");
        all.putAll(vars);
        return all;
    }

    /** Whether this process runs as root. */
    static boolean callerIsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static String firstLine(String s) {
        return s.strip().lines().findFirst().orElse("(nothing printed)");
    }
}
