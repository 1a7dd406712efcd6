package dev.pyruntime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP proxy for tests: Debian's tinyproxy (.ci/run installs it), in the foreground, on 127.0.0.1 only, logging
 * every request it forwards to a file the tests read.
 */
public final class TinyProxy implements AutoCloseable {
    private static final Pattern REQUEST = Pattern.compile("Request \\(file descriptor \\d+\\): (\\S+ \\S+) HTTP/");
    private final Process process;
    private final Path log;
    private final int port;

    private TinyProxy(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    public static TinyProxy start(Path dir) throws IOException, InterruptedException {
        Path exe = Path.of("/usr/bin/tinyproxy");
        if (!Files.isExecutable(exe)) {
            throw new IllegalStateException("tinyproxy is not installed: apt-get install tinyproxy (.ci/run does)");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.createDirectories(dir);
        // tinyproxy may drop to an unprivileged user: the log's folder is open to it.
        dir.toFile().setWritable(true, false);
        Path log = dir.resolve("tinyproxy.log");
        Path conf = dir.resolve("tinyproxy.conf");
        Files.write(conf, List.of("Port " + port, "Listen 127.0.0.1", "Timeout 60", "LogFile \"" + log + "\"",
                "LogLevel Info", "MaxClients 50", "Allow 127.0.0.1"));
        Process p = new ProcessBuilder(exe.toString(), "-d", "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("tinyproxy.out").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            if (!p.isAlive()) {
                throw new IOException("tinyproxy exited with " + p.exitValue() + ": " + Files.readString(dir.resolve("tinyproxy.out")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return new TinyProxy(p, log, port);
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new IOException("tinyproxy did not listen on 127.0.0.1:" + port + " within 20 s");
                }
                Thread.sleep(50);
            }
        }
    }

    public int port() {
        return port;
    }

    /** The requests it forwarded, as {@code METHOD URL}, in order. */
    public List<String> requests() throws IOException {
        if (!Files.isRegularFile(log)) {
            return List.of();
        }
        return Files.readAllLines(log).stream().map(REQUEST::matcher).filter(Matcher::find).map(m -> m.group(1)).toList();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
