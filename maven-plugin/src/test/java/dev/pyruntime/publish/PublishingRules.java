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

/** The publishing rules against a real directory repository, with real threads racing for keys and the index. */
class PublisherTest {
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
        String target = version + "-debian-12-amd64";
        Path archive = Files.createDirectories(tmp.resolve(dir)).resolve("python-" + target + ".tar.zst");
        Files.writeString(archive, content);
        String sha = Sha256.of(archive);
        Files.writeString(archive.resolveSibling(archive.getFileName() + ".sha256"), sha + "  " + archive.getFileName() + "\n");
        new ArchiveMetadata(1, archive.getFileName().toString(), sha, Files.size(archive), target, version, "debian-12",
                "debian", "12", "amd64", "Python-" + version + ".tgz", "0".repeat(64), "f".repeat(64), "test", List.of(),
                "host", "x86_64-linux-gnu", "/tmp/p", 0, 0, 22, 27, List.of(), Map.of(), Map.of(), Map.of(), "1.21.22")
                .write(ArchiveMetadata.fileFor(archive), null);
        return archive;
    }

    Publisher publisher(Repository repo) {
        return new Publisher(QUIET, repo, "", false, CLOCK);
    }

    @Test
    void publishesArchiveSidecarMetadataAndIndexThenSkipsTheSameBytes() throws Exception {
        Path repoDir = tmp.resolve("repo");
        FileRepository repo = new FileRepository(repoDir);
        Path a = archive("build", "3.11.2", "archive bytes");

        assertEquals(Publisher.Outcome.PUBLISHED, publisher(repo).publish(a).outcome());
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(repoDir.resolve(a.getFileName())));
        assertTrue(Files.isRegularFile(repoDir.resolve(a.getFileName() + ".sha256")));
        assertTrue(Files.isRegularFile(repoDir.resolve("python-3.11.2-debian-12-amd64.json")));
        Index index = Index.parse(Files.readAllBytes(repoDir.resolve("index.json")));
        Index.Entry e = index.find(a.getFileName().toString());
        assertEquals(Sha256.of(a), e.sha256());
        assertEquals("3.11.2", e.version());
        assertEquals("2026-11-24T12:00:00Z", e.publishedAt());
        assertEquals("f".repeat(64), e.planFingerprint());

        byte[] indexBefore = Files.readAllBytes(repoDir.resolve("index.json"));
        Path same = archive("rebuild", "3.11.2", "archive bytes");
        assertEquals(Publisher.Outcome.ALREADY_PUBLISHED, publisher(repo).publish(same).outcome());
        assertArrayEquals(indexBefore, Files.readAllBytes(repoDir.resolve("index.json")), "the index did not change");
    }

    @Test
    void differentBytesUnderAPublishedKeyFailNamingBothChecksumsAndChangeNothing() throws Exception {
        Path repoDir = tmp.resolve("repo");
        FileRepository repo = new FileRepository(repoDir);
        Path a = archive("first", "3.11.2", "the published bytes");
        publisher(repo).publish(a);
        Path b = archive("second", "3.11.2", "other bytes");

        UserError e = assertThrows(UserError.class, () -> publisher(repo).publish(b));
        assertTrue(e.getMessage().contains("is already published with sha256 " + Sha256.of(a)), e.getMessage());
        assertTrue(e.getMessage().contains("has sha256 " + Sha256.of(b)), e.getMessage());
        assertTrue(e.getMessage().contains("never overwritten"), e.getMessage());
        assertEquals("the published bytes", Files.readString(repoDir.resolve(a.getFileName())));
        assertEquals(Sha256.of(a), Index.parse(Files.readAllBytes(repoDir.resolve("index.json")))
                .find(a.getFileName().toString()).sha256());
    }

    @Test
    void eightConcurrentDeploysOfDifferentTargetsAllReachTheIndex() throws Exception {
        Path repoDir = tmp.resolve("repo");
        List<Path> archives = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            archives.add(archive("b" + i, "3.11." + i, "runtime " + i));
        }
        List<Publisher.Outcome> outcomes = race(archives.stream().map(a -> (Callable<Publisher.Outcome>) () ->
                publisher(new FileRepository(repoDir)).publish(a).outcome()).toList());
        assertEquals(List.of(), outcomes.stream().filter(o -> o != Publisher.Outcome.PUBLISHED).toList());
        Index index = Index.parse(Files.readAllBytes(repoDir.resolve("index.json")));
        assertEquals(8, index.runtimes().size(), index.toString());
    }

    @Test
    void fourConcurrentDeploysOfTheSameKeyUploadOnce() throws Exception {
        Path repoDir = tmp.resolve("repo");
        List<Path> copies = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            copies.add(archive("c" + i, "3.13.5", "the same runtime"));
        }
        List<Publisher.Outcome> outcomes = race(copies.stream().map(a -> (Callable<Publisher.Outcome>) () ->
                publisher(new FileRepository(repoDir)).publish(a).outcome()).toList());
        assertEquals(1, outcomes.stream().filter(o -> o == Publisher.Outcome.PUBLISHED).count(), outcomes.toString());
        assertEquals(3, outcomes.stream().filter(o -> o == Publisher.Outcome.ALREADY_PUBLISHED).count(), outcomes.toString());
        assertEquals(1, Index.parse(Files.readAllBytes(repoDir.resolve("index.json"))).runtimes().size());
        try (var files = Files.list(repoDir)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().endsWith(".part")).toList(), "no temp file left");
        }
    }

    @Test
    void aDryRunWritesNothing() throws Exception {
        Path repoDir = tmp.resolve("repo");
        Path a = archive("build", "3.11.2", "bytes");
        Publisher.Published p = new Publisher(QUIET, new FileRepository(repoDir), "", true, CLOCK).publish(a);
        assertEquals(Publisher.Outcome.WOULD_PUBLISH, p.outcome());
        assertFalse(Files.exists(repoDir));
    }

    @Test
    void anArchiveChangedAfterVerifyIsNotPublished() throws Exception {
        Path a = archive("build", "3.11.2", "bytes");
        Files.writeString(a, "changed");
        UserError e = assertThrows(UserError.class, () -> publisher(new FileRepository(tmp.resolve("repo"))).publish(a));
        assertTrue(e.getMessage().contains("changed after verify"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("repo")));
    }

    @Test
    void repositoryUrls() throws UserError {
        assertEquals("file:/srv/runtimes", Publisher.open("file:/srv/runtimes").describe());
        assertEquals("file:/srv/runtimes", Publisher.open("file:///srv/runtimes").describe());
        assertTrue(assertThrows(UserError.class, () -> Publisher.open("file:relative")).getMessage().contains("absolute path"));
        assertTrue(assertThrows(UserError.class, () -> Publisher.open("ftp://x/y")).getMessage().contains("unknown scheme"));
        assertTrue(assertThrows(UserError.class, () -> Publisher.open(null)).getMessage().contains("python-runtime.repository"));
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
