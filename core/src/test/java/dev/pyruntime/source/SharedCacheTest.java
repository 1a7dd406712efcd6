package dev.pyruntime.source;

import dev.pyruntime.RecordingConsole;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyruntime.plan.BuildPlan;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two builds fetching the same source into one cache at once, as two threads and as two JVMs: the server sends the
 * file slowly and holds back its second half until the other build is seen waiting for the lock, so the two really
 * overlap. Exactly one download; both get the complete file.
 */
class SharedCacheTest {
    private static final String FILE = "Python-3.13.5.tar.xz";
    private static final byte[] CONTENT = Sources.tarball(2_000_000, 11);
    private static final String PATH = "/slow/" + FILE;
    private static final String WAITING = "waiting for another build that is fetching it";

    @TempDir
    Path cache;
    LocalServer server;
    CountDownLatch gate;

    @BeforeEach
    void start() throws IOException {
        server = new LocalServer();
        gate = new CountDownLatch(1);
        server.serveSlowly(PATH, CONTENT, 64 * 1024, 15, gate);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Path entry() {
        return cache.resolve(Sources.sha256(CONTENT)).resolve(FILE);
    }

    /** Opens the gate once {@code condition} holds (or after 30 s, after which the test's assertions fail). */
    private void openGateWhen(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        gate.countDown();
    }

    @Test
    void twoThreads() throws Exception {
        BuildPlan.SourceInfo source = Sources.source(FILE, CONTENT, server.url(PATH));
        RecordingConsole first = new RecordingConsole();
        RecordingConsole second = new RecordingConsole();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Path> a = threads.submit(() -> new SourceFetcher(cache, cache.resolve("keys"), false,
                    Sources.noApt(cache), first).fetch(source));
            Future<Path> b = threads.submit(() -> new SourceFetcher(cache, cache.resolve("keys"), false,
                    Sources.noApt(cache), second).fetch(source));
            openGateWhen(() -> first.said(WAITING) || second.said(WAITING));

            assertEquals(entry(), a.get(60, TimeUnit.SECONDS));
            assertEquals(entry(), b.get(60, TimeUnit.SECONDS));
        } finally {
            threads.shutdownNow();
        }
        assertEquals(1, server.requests(PATH));
        assertArrayEquals(CONTENT, Files.readAllBytes(entry()));
        assertEquals(1, first.count("fetched from") + second.count("fetched from"), first + "\n--\n" + second);
        RecordingConsole waited = first.said(WAITING) ? first : second;
        assertTrue(waited.said("Source " + FILE + ": cached"), waited.toString());
    }

    @Test
    void twoProcesses() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), FetchMain.class.getName(), cache.toString(), server.url(PATH),
                Sources.sha256(CONTENT), FILE);
        List<String> output = new CopyOnWriteArrayList<>();
        List<Process> processes = new ArrayList<>();
        List<Thread> readers = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
                processes.add(process);
                String name = "process " + i + ": ";
                Thread reader = new Thread(() -> {
                    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                            StandardCharsets.UTF_8))) {
                        for (String line; (line = in.readLine()) != null; ) {
                            output.add(name + line);
                        }
                    } catch (IOException e) {
                        output.add(name + "read failed: " + e);
                    }
                });
                reader.start();
                readers.add(reader);
            }
            openGateWhen(() -> output.stream().anyMatch(l -> l.contains(WAITING)));
            for (Process process : processes) {
                assertTrue(process.waitFor(60, TimeUnit.SECONDS), "process finished: " + output);
                assertEquals(0, process.exitValue(), String.join("\n", output));
            }
            for (Thread reader : readers) {
                reader.join(5000);
            }
        } finally {
            processes.forEach(Process::destroyForcibly);
        }
        String log = String.join("\n", output);
        assertEquals(1, server.requests(PATH), log);
        assertEquals(2, output.stream().filter(l -> l.endsWith("RESULT " + entry())).count(), log);
        assertEquals(1, output.stream().filter(l -> l.contains("fetched from " + server.url(PATH))).count(), log);
        assertEquals(1, output.stream().filter(l -> l.contains(WAITING)).count(), log);
        assertEquals(1, output.stream().filter(l -> l.contains("Source " + FILE + ": cached")).count(), log);
        assertArrayEquals(CONTENT, Files.readAllBytes(entry()));
    }
}
