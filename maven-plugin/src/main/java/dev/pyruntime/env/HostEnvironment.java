package dev.pyruntime.env;

import dev.pyruntime.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Runs build steps on this machine. */
public final class HostEnvironment implements BuildEnvironment {
    private final HostInfo host;

    public HostEnvironment(HostInfo host) {
        this.host = host;
    }

    @Override
    public String describe() {
        return "host " + host.distroId() + "/" + host.arch();
    }

    @Override
    public String executor() {
        return "host";
    }

    /**
     * Variables of the caller's environment that would silently change a build or what dpkg-buildflags answers are
     * not inherited: the plan says exactly what was asked for.
     */
    static boolean inherited(String name) {
        return !(name.startsWith("DEB_") || name.startsWith("PYTHON") || name.equals("CFLAGS") || name.equals("CPPFLAGS")
                || name.equals("LDFLAGS") || name.equals("CXXFLAGS") || name.equals("MAKEFLAGS") || name.equals("MFLAGS")
                || name.equals("LD_LIBRARY_PATH") || name.equals("LD_PRELOAD") || name.equals("CC")
                || name.equals("SOURCE_DATE_EPOCH"));
    }

    private static ProcessBuilder builder(List<String> command, Map<String, String> env, Path workDir) {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        pb.environment().keySet().removeIf(k -> !inherited(k));
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
        p.getOutputStream().close();
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             var out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line);
                out.write('\n');
                lines.accept(line);
            }
        } finally {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                p.destroy();
                Thread.currentThread().interrupt();
                throw new UserError("interrupted while running " + command.get(0));
            }
        }
        return p.exitValue();
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
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            String out = read(p.getInputStream());
            int code = p.waitFor();
            return new ExecResult(code, out, err.join());
        } catch (IOException e) {
            throw notInstalled(command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while running " + command.get(0));
        }
    }

    static String installHint(String program) {
        return switch (program) {
            case "dpkg-buildflags", "dpkg-architecture" -> "install it with: apt-get install dpkg-dev";
            case "make" -> "install it with: apt-get install make (or build-essential)";
            default -> "install the package that provides it";
        };
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
