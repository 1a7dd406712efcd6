package dev.pyruntime.env;

import dev.pyruntime.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Runs build steps on this machine. */
public final class HostEnvironment implements BuildEnvironment {
    private final HostInfo host;
    private final boolean wholeEnvironment;

    public HostEnvironment(HostInfo host) {
        this(host, false);
    }

    private HostEnvironment(HostInfo host, boolean wholeEnvironment) {
        this.host = host;
        this.wholeEnvironment = wholeEnvironment;
    }

    /**
     * Runs tools that are not build steps, such as a container engine's CLI, with the caller's whole environment:
     * DOCKER_HOST, CONTAINER_HOST, XDG_RUNTIME_DIR and the like are how users point them at their engine.
     */
    static HostEnvironment forTools(HostInfo host) {
        return new HostEnvironment(host, true);
    }

    @Override
    public String describe() {
        return "host " + host.distroId() + "/" + host.arch();
    }

    @Override
    public String executor() {
        return "host";
    }

    @Override
    public boolean seesHostTools() {
        return true;
    }

    /**
     * The only variables of the caller's environment a build step sees: everything else (CFLAGS, CC, CONFIG_SITE,
     * MAKEFLAGS, PYTHONPATH, LD_LIBRARY_PATH, DEB_*, ...) would silently change a build or what dpkg-buildflags
     * answers, and the plan says exactly what was asked for.
     */
    static final java.util.Set<String> INHERITED = java.util.Set.of("PATH", "HOME", "USER", "LOGNAME", "TMPDIR", "TERM",
            "http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "CCACHE_DIR");

    static boolean inherited(String name) {
        return INHERITED.contains(name);
    }

    private ProcessBuilder builder(List<String> command, Map<String, String> env, Path workDir) {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        if (!wholeEnvironment) {
            pb.environment().keySet().removeIf(k -> !inherited(k));
        }
        pb.environment().put("LC_ALL", "C.UTF-8");
        pb.environment().putAll(env);
        return pb;
    }

    @Override
    public int stream(List<String> command, Map<String, String> env, Path workDir, Path log,
                      java.util.function.Consumer<String> lines) throws UserError, IOException {
        ProcessBuilder pb = builder(command, env, workDir).redirectErrorStream(true);
        Files.createDirectories(log.getParent());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw notInstalled(command, e);
        }
        Thread hook = new Thread(() -> kill(p), "python-runtime: stop " + command.get(0));
        Runtime.getRuntime().addShutdownHook(hook);
        boolean done = false;
        try {
            p.getOutputStream().close();
            try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                 var out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    out.write(line);
                    out.write('\n');
                    lines.accept(line);
                }
            }
            int exit = p.waitFor();
            done = true;
            return exit;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while running " + command.get(0));
        } finally {
            if (!done) {
                kill(p);
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run: it stops the process tree
            }
        }
    }

    /** Stops a process and everything it started (make's compilers, PGO runs), forcibly if it does not go. */
    static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private UserError notInstalled(List<String> command, IOException e) {
        if (!Files.isExecutable(Path.of(command.get(0))) && e.getMessage() != null && e.getMessage().contains("error=2")) {
            return new UserError("'" + command.get(0) + "' is not installed on this machine (" + describe() + "); "
                    + installHint(command.get(0)));
        }
        return new UserError("cannot run " + command + " on " + describe() + ": " + e.getMessage(), e);
    }

    @Override
    public ExecResult run(List<String> command, Map<String, String> env, Path workDir) throws UserError {
        ProcessBuilder pb = builder(command, env, workDir);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw notInstalled(command, e);
        }
        try {
            p.getOutputStream().close();
            CompletableFuture<String> err = new CompletableFuture<>();
            Thread stderr = new Thread(() -> err.complete(read(p.getErrorStream())), "python-runtime: stderr");
            stderr.setDaemon(true);
            stderr.start();
            String out = read(p.getInputStream());
            int code = p.waitFor();
            return new ExecResult(code, out, err.get());
        } catch (IOException | java.util.concurrent.ExecutionException e) {
            kill(p);
            throw new UserError("reading the output of " + command.get(0) + " on " + describe() + " failed: " + e, e);
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while running " + command.get(0));
        }
    }

    /**
     * Starts a long-lived tool with its standard error merged into its output and its standard input a pipe from this
     * JVM, which stays open until the caller closes it or the JVM dies.
     */
    Process spawn(List<String> command) throws UserError {
        try {
            return builder(command, Map.of(), null).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw notInstalled(command, e);
        }
    }

    static String installHint(String program) {
        return switch (program) {
            case "dpkg-buildflags", "dpkg-architecture" -> "install it with: apt-get install dpkg-dev";
            case "make" -> "install it with: apt-get install make (or build-essential)";
            default -> "install the package that provides it";
        };
    }

    /**
     * The most of a command's standard output or error that is kept: far more than any tool we ask says, and a program
     * from an archive that prints without end cannot fill the heap.
     */
    static final int MAX_OUTPUT = 16 << 20;

    private static String read(InputStream in) {
        try (in) {
            byte[] kept = in.readNBytes(MAX_OUTPUT);
            long dropped = in.transferTo(java.io.OutputStream.nullOutputStream());
            String s = new String(kept, StandardCharsets.UTF_8);
            return dropped == 0 ? s : s + "\n(" + dropped + " more bytes not kept)";
        } catch (IOException e) {
            return "(output lost: " + e + ")";
        }
    }
}
