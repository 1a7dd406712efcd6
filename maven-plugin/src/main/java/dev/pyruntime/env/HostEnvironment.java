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

    @Override
    public ExecResult run(List<String> command, Map<String, String> env, Path workDir) throws UserError {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        // Variables that would silently change what dpkg-buildflags answers are not inherited: the plan says
        // exactly what was asked for.
        pb.environment().keySet().removeIf(k -> k.startsWith("DEB_") || k.equals("CFLAGS") || k.equals("CPPFLAGS")
                || k.equals("LDFLAGS") || k.equals("CXXFLAGS"));
        pb.environment().put("LC_ALL", "C.UTF-8");
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            String out = read(p.getInputStream());
            int code = p.waitFor();
            return new ExecResult(code, out, err.join());
        } catch (IOException e) {
            if (!Files.isExecutable(Path.of(command.get(0))) && e.getMessage() != null
                    && e.getMessage().contains("error=2")) {
                throw new UserError("'" + command.get(0) + "' is not installed on this machine (" + describe()
                        + "); " + installHint(command.get(0)));
            }
            throw new UserError("cannot run " + command + " on " + describe() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while running " + command.get(0));
        }
    }

    static String installHint(String program) {
        return switch (program) {
            case "dpkg-buildflags", "dpkg-architecture" -> "install it with: apt-get install dpkg-dev";
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
