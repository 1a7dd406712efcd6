package dev.pyruntime.publish;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyruntime.Console;
import dev.pyruntime.Sha256;
import dev.pyruntime.UserError;
import dev.pyruntime.archive.ArchiveMetadata;
import dev.pyruntime.publish.Publisher.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The publishing rules every repository keeps, proven against a real store (a directory, a real S3 server) with real
 * threads racing for keys and the index. Each concurrent deploy opens its own repository, as separate Maven processes
 * would.
 */
abstract class PublishingRules {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    static final Console QUIET = new Console() {
        @Override
        public void info(String line) {
        }

        @Override
        public void warn(String line) {
        }

        @Override
        public void debug(String line) {
        }

        @Override
        public boolean isDebug() {
            return false;
        }
    };

    /** An archive with its .sha256 and metadata, as package writes them, in its own directory. */
    Path archive(String dir, String version, String content) throws IOException {
        return archive(dir, version, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    Path archive(String dir, String version, byte[] content) throws IOException {
        String target = version + "-debian-12-amd64";
        Path archive = Files.createDirectories(tmp.resolve(dir)).resolve("python-" + target + ".tar.zst");
        Files.write(archive, content);
        String sha = Sha256.of(archive);
        Files.writeString(archive.resolveSibling(archive.getFileName() + ".sha256"), sha + "  " + archive.getFileName() + "\n");
        new ArchiveMetadata(1, archive.getFileName().toString(), sha, Files.size(archive), target, version, "debian-12",
                "debian", "12", "amd64", "Python-" + version + ".tgz", "0".repeat(64), "f".repeat(64), "test", List.of(),
                "host", "x86_64-linux-gnu", "/tmp/p", 0, 0, 22, 27, List.of(), Map.of(), Map.of(), Map.of(), "1.21.22", null)
                .write(ArchiveMetadata.fileFor(archive), null);
        return archive;
    }

    Publisher publisher(Repository repo) {
        return new Publisher(QUIET, repo, "", false, CLOCK);
    }

    /** A new client of the store under test; each test has a store (or a part of one) of its own. */
    abstract Repository open() throws Exception;

    /** The bytes of an object, read from the store directly; empty if there is none. */
    abstract java.util.Optional<byte[]> object(String key) throws Exception;

    /** What an interrupted or refused upload could have left behind (temp files, unfinished uploads). */
    abstract List<String> leftovers() throws Exception;

    Outcome publish(Path archive) throws Exception {
        try (Repository repo = open()) {
            return publisher(repo).publish(archive).outcome();
        }
    }

    Index index() throws Exception {
        return Index.parse(object(Publisher.INDEX).orElseThrow());
    }

    @Test
    void publishesArchiveSidecarMetadataAndIndexThenSkipsTheSameBytes() throws Exception {
        Path a = archive("build", "3.11.2", "archive bytes");

        assertEquals(Outcome.PUBLISHED, publish(a));
        String name = a.getFileName().toString();
        assertArrayEquals(Files.readAllBytes(a), object(name).orElseThrow());
        assertArrayEquals(Files.readAllBytes(a.resolveSibling(name + ".sha256")), object(name + ".sha256").orElseThrow());
        assertArrayEquals(Files.readAllBytes(ArchiveMetadata.fileFor(a)), object("python-3.11.2-debian-12-amd64.json").orElseThrow());
        Index.Entry e = index().find(name);
        assertEquals(Sha256.of(a), e.sha256());
        assertEquals("3.11.2", e.version());
        assertEquals(Files.size(a), e.size());
        assertEquals("2026-11-24T12:00:00Z", e.publishedAt());
        assertEquals("f".repeat(64), e.planFingerprint());

        byte[] indexBefore = object(Publisher.INDEX).orElseThrow();
        Path same = archive("rebuild", "3.11.2", "archive bytes");
        assertEquals(Outcome.ALREADY_PUBLISHED, publish(same));
        assertArrayEquals(indexBefore, object(Publisher.INDEX).orElseThrow(), "the index did not change");
        assertEquals(List.of(), leftovers());
    }

    @Test
    void differentBytesUnderAPublishedKeyFailNamingBothChecksumsAndChangeNothing() throws Exception {
        Path a = archive("first", "3.11.2", "the published bytes");
        publish(a);
        Path b = archive("second", "3.11.2", "other bytes");

        UserError e = assertThrows(UserError.class, () -> publish(b));
        assertTrue(e.getMessage().contains("is already published with sha256 " + Sha256.of(a)), e.getMessage());
        assertTrue(e.getMessage().contains("has sha256 " + Sha256.of(b)), e.getMessage());
        assertTrue(e.getMessage().contains("never overwritten"), e.getMessage());
        assertArrayEquals(Files.readAllBytes(a), object(a.getFileName().toString()).orElseThrow());
        assertEquals(Sha256.of(a), index().find(a.getFileName().toString()).sha256());
        assertEquals(List.of(), leftovers());
    }

    @Test
    void eightConcurrentDeploysOfDifferentTargetsAllReachTheIndex() throws Exception {
        List<Path> archives = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            archives.add(archive("b" + i, "3.11." + i, "runtime " + i));
        }
        List<Outcome> outcomes = race(archives.stream().map(a -> (Callable<Outcome>) () -> publish(a)).toList());
        assertEquals(List.of(), outcomes.stream().filter(o -> o != Outcome.PUBLISHED).toList());
        Index index = index();
        assertEquals(8, index.runtimes().size(), index.toString());
        for (Path a : archives) {
            assertEquals(Sha256.of(a), index.find(a.getFileName().toString()).sha256());
            assertArrayEquals(Files.readAllBytes(a), object(a.getFileName().toString()).orElseThrow());
        }
    }

    @Test
    void fourConcurrentDeploysOfTheSameKeyUploadOnce() throws Exception {
        List<Path> copies = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            copies.add(archive("c" + i, "3.13.5", "the same runtime"));
        }
        List<Outcome> outcomes = race(copies.stream().map(a -> (Callable<Outcome>) () -> publish(a)).toList());
        assertEquals(1, outcomes.stream().filter(o -> o == Outcome.PUBLISHED).count(), outcomes.toString());
        assertEquals(3, outcomes.stream().filter(o -> o == Outcome.ALREADY_PUBLISHED).count(), outcomes.toString());
        assertEquals(1, index().runtimes().size());
        assertEquals(List.of(), leftovers());
    }

    @Test
    void aDryRunWritesNothing() throws Exception {
        Path a = archive("build", "3.11.2", "bytes");
        try (Repository repo = open()) {
            assertEquals(Outcome.WOULD_PUBLISH, new Publisher(QUIET, repo, "", true, CLOCK).publish(a).outcome());
        }
        assertTrue(object(a.getFileName().toString()).isEmpty());
        assertTrue(object(Publisher.INDEX).isEmpty());
    }

    @Test
    void anArchiveChangedAfterVerifyIsNotPublished() throws Exception {
        Path a = archive("build", "3.11.2", "bytes");
        Files.writeString(a, "changed");
        UserError e = assertThrows(UserError.class, () -> publish(a));
        assertTrue(e.getMessage().contains("changed after verify"), e.getMessage());
        assertTrue(object(a.getFileName().toString()).isEmpty());
    }

    @Test
    void aStaleIndexVersionIsNotWritten() throws Exception {
        try (Repository repo = open()) {
            assertTrue(repo.replaceIf("index.json", "{\"schema\":1,\"runtimes\":[]}\n".getBytes(), null));
            assertFalse(repo.replaceIf("index.json", "second creation".getBytes(), null), "it exists now");
            Repository.Versioned v = repo.get("index.json").orElseThrow();
            assertTrue(repo.replaceIf("index.json", "newer".getBytes(), v.tag()));
            assertFalse(repo.replaceIf("index.json", "from a stale read".getBytes(), v.tag()));
            assertEquals("newer", new String(object("index.json").orElseThrow()));
        }
    }

    /** Starts every task at the same moment on its own thread and returns their results in order. */
    static <T> List<T> race(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> t : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return t.call();
                }));
            }
            start.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
