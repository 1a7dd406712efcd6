package dev.pyruntime.source;

import dev.pyruntime.RecordingConsole;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyruntime.UserError;
import dev.pyruntime.plan.BuildPlan;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetching through the cache and the source's URLs, against a real HTTP server on 127.0.0.1. */
class SourceFetcherTest {
    private static final String FILE = "Python-3.11.2.tgz";
    private static final byte[] CONTENT = Sources.tarball(300_000, 1);
    private static final String SHA = Sources.sha256(CONTENT);

    @TempDir
    Path dir;
    Path cache;
    LocalServer server;
    RecordingConsole console;

    @BeforeEach
    void start() throws IOException {
        cache = dir.resolve("cache");
        server = new LocalServer();
        console = new RecordingConsole();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private SourceFetcher fetcher(boolean offline) {
        return new SourceFetcher(cache, dir.resolve("keys"), offline, Sources.noApt(dir), console);
    }

    private Path entry() {
        return cache.resolve(SHA).resolve(FILE);
    }

    @Test
    void fetchesOnceThenUsesTheCache() throws Exception {
        server.serve("/a/" + FILE, CONTENT);
        BuildPlan.SourceInfo source = Sources.source(FILE, CONTENT, server.url("/a/" + FILE));

        Path first = fetcher(false).fetch(source);
        Path second = fetcher(false).fetch(source);

        assertEquals(entry(), first);
        assertEquals(first, second);
        assertArrayEquals(CONTENT, Files.readAllBytes(first));
        assertEquals(1, server.requests("/a/" + FILE));
        assertTrue(console.said("Source " + FILE + ": fetched from " + server.url("/a/" + FILE) + " ("), console.toString());
        assertTrue(console.said("Source " + FILE + ": cached"), console.toString());
        assertEquals(List.of(SHA + "/.lock", SHA + "/" + FILE), Sources.listing(cache));
    }

    @Test
    void corruptCachedFileIsDeletedAndFetchedAgain() throws Exception {
        server.serve("/a/" + FILE, CONTENT);
        BuildPlan.SourceInfo source = Sources.source(FILE, CONTENT, server.url("/a/" + FILE));
        Path path = fetcher(false).fetch(source);
        byte[] corrupt = CONTENT.clone();
        corrupt[1000] ^= 1;
        Files.write(path, corrupt);

        Path again = fetcher(false).fetch(source);

        assertArrayEquals(CONTENT, Files.readAllBytes(again));
        assertEquals(2, server.requests("/a/" + FILE));
        assertTrue(console.said("WARN Source " + FILE + ": cached copy " + path + " is corrupt (sha256 "
                + Sources.sha256(corrupt) + ", expected " + SHA + "): deleted it, fetching it again"), console.toString());
    }

    @Test
    void mismatchIsNotCachedAndTheNextPlaceIsTried() throws Exception {
        byte[] other = Sources.tarball(1000, 2);
        server.serve("/bad/" + FILE, other).serve("/good/" + FILE, CONTENT);
        BuildPlan.SourceInfo source = Sources.source(FILE, CONTENT, server.url("/bad/" + FILE),
                server.url("/good/" + FILE));

        Path path = fetcher(false).fetch(source);

        assertArrayEquals(CONTENT, Files.readAllBytes(path));
        assertTrue(console.said("WARN Source " + FILE + ": " + server.url("/bad/" + FILE) + ": sha256 mismatch: expected "
                + SHA + ", got " + Sources.sha256(other) + " (1000 bytes); not using it"), console.toString());
        assertTrue(console.said("fetched from " + server.url("/good/" + FILE)), console.toString());
    }

    @Test
    void mismatchAloneFailsAndLeavesNothingInTheCache() throws Exception {
        server.serve("/bad/" + FILE, Sources.tarball(1000, 2));
        BuildPlan.SourceInfo source = Sources.source(FILE, CONTENT, server.url("/bad/" + FILE));

        UserError e = assertThrows(UserError.class, () -> fetcher(false).fetch(source));

        assertTrue(e.getMessage().contains("sha256 mismatch: expected " + SHA), e.getMessage());
        assertEquals(List.of(SHA + "/.lock"), Sources.listing(cache));
    }

    @Test
    void errorListsEveryPlaceTriedAndWhy() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        byte[] other = Sources.tarball(10, 3);
        server.status("/gone/" + FILE, 410).serve("/other/" + FILE, other);
        String refused = "http://127.0.0.1:" + closedPort + "/x/" + FILE;
        String missingFile = dir.resolve("nowhere").resolve(FILE).toUri().toString();
        BuildPlan.SourceInfo source = Sources.source(FILE, CONTENT, server.url("/missing/" + FILE),
                server.url("/gone/" + FILE), refused, missingFile, "ftp://127.0.0.1/" + FILE,
                server.url("/other/" + FILE), "apt-pool");

        UserError e = assertThrows(UserError.class, () -> fetcher(false).fetch(source));

        String expected = "Cannot get source " + FILE + " (sha256 " + SHA + "); tried:\n"
                + "  - cache " + entry() + ": not there\n"
                + "  - " + server.url("/missing/" + FILE) + ": HTTP 404\n"
                + "  - " + server.url("/gone/" + FILE) + ": HTTP 410\n"
                + "  - " + refused + ": connection refused\n"
                + "  - " + missingFile + ": no such file\n"
                + "  - ftp://127.0.0.1/" + FILE + ": unsupported URL scheme 'ftp' (use http, https or file:)\n"
                + "  - " + server.url("/other/" + FILE) + ": sha256 mismatch: expected " + SHA + ", got "
                + Sources.sha256(other) + " (10 bytes)\n"
                + "  - apt-pool: no usable apt archive in " + dir.resolve("no-apt")
                + " (sources.list, sources.list.d/*.list and *.sources)\n"
                + "How to fix: put the file at " + entry() + " by hand (its sha256 must be " + SHA + "), or add a "
                + "mirror that has it to source.mirrors in the manifest.";
        assertEquals(expected, e.getMessage());
        assertTrue(console.said("WARN Source " + FILE + ": " + server.url("/missing/" + FILE) + ": HTTP 404"));
    }

    @Test
    void offlineWithoutTheFileSaysWhereToPutIt() throws Exception {
        server.serve("/a/" + FILE, CONTENT);
        BuildPlan.SourceInfo source = Sources.source(FILE, CONTENT, server.url("/a/" + FILE));

        UserError e = assertThrows(UserError.class, () -> fetcher(true).fetch(source));

        assertEquals("Source " + FILE + " (sha256 " + SHA + ") is not in the source cache and the run is offline.\n"
                + "  expected at: " + entry() + "\n"
                + "Run the build once online, or copy the file to " + entry() + " by hand (its sha256 must be "
                + SHA + ").", e.getMessage());
        assertEquals(0, server.requests("/a/" + FILE));
    }

    @Test
    void offlineWithTheFileCopiedByHandUsesIt() throws Exception {
        Files.createDirectories(entry().getParent());
        Files.write(entry(), CONTENT);
        BuildPlan.SourceInfo source = Sources.source(FILE, CONTENT, server.url("/a/" + FILE));

        assertEquals(entry(), fetcher(true).fetch(source));
        assertTrue(console.said("INFO Source " + FILE + ": cached"));
        assertEquals(0, server.requests("/a/" + FILE));
    }

    @Test
    void offlineWithACorruptCopyDeletesItAndSaysSo() throws Exception {
        Files.createDirectories(entry().getParent());
        Files.write(entry(), Sources.tarball(100, 4));
        BuildPlan.SourceInfo source = Sources.source(FILE, CONTENT, server.url("/a/" + FILE));

        UserError e = assertThrows(UserError.class, () -> fetcher(true).fetch(source));

        assertTrue(e.getMessage().contains("the run is offline; the cached copy was corrupt."), e.getMessage());
        assertFalse(Files.exists(entry()));
        // What it warns is what it does: offline, nothing is fetched again.
        assertTrue(console.toString().contains("is corrupt (sha256 "), console.toString());
        assertFalse(console.toString().contains("fetching it again"), console.toString());
    }

    /**
     * An endless body (no Content-Length) is cut off at the size cap, not when the disk is full; nothing of it is
     * cached, and the next place is tried. A body that announces too much is not downloaded at all.
     */
    @Test
    void anEndlessBodyIsCutOffAtTheSizeCapAndTheNextPlaceIsTried() throws Exception {
        server.endless("/endless/" + FILE).serve("/big/" + FILE, new byte[(int) Transfer.MAX_SIGNATURE_BYTES * 2])
                .serve("/good/" + FILE, CONTENT);
        BuildPlan.SourceInfo source = Sources.source(FILE, CONTENT, server.url("/endless/" + FILE),
                server.url("/good/" + FILE));
        long cap = 4L << 20;    // the default, MAX_SOURCE_BYTES (256 MiB), would take long to send here
        Transfer capped = new Transfer(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5))
                .withMaxSourceBytes(cap);
        assertEquals(entry(), new SourceFetcher(cache, dir.resolve("keys"), false, Sources.noApt(dir), console, capped)
                .fetch(source));
        assertTrue(console.said("WARN Source " + FILE + ": " + server.url("/endless/" + FILE) + ": more than "
                + cap + " bytes, larger than such a file can be; cut off there"), console.toString());
        assertEquals(256L << 20, Transfer.MAX_SOURCE_BYTES);
        assertEquals(List.of(SHA + "/.lock", SHA + "/" + FILE), Sources.listing(cache));

        Path target = dir.resolve("sig");
        FetchFailed announced = assertThrows(FetchFailed.class, () -> new Transfer(Duration.ofSeconds(2),
                Duration.ofSeconds(5), Duration.ofSeconds(5)).copy(URI.create(server.url("/big/" + FILE)), target,
                Transfer.MAX_SIGNATURE_BYTES));
        assertEquals("announces " + 2 * Transfer.MAX_SIGNATURE_BYTES + " bytes, more than the "
                + Transfer.MAX_SIGNATURE_BYTES + " such a file can be; not downloaded", announced.getMessage());
    }

    /** A directory where the cached file belongs: a clear refusal that names it, not a bare FileSystemException. */
    @Test
    void aDirectoryAtTheCacheEntryIsNamed() throws Exception {
        Files.createDirectories(entry().resolve("sub"));
        server.serve("/a/" + FILE, CONTENT);
        UserError e = assertThrows(UserError.class,
                () -> fetcher(false).fetch(Sources.source(FILE, CONTENT, server.url("/a/" + FILE))));
        assertEquals("Source " + FILE + ": the source cache holds a directory at " + entry() + ", where the file "
                + "belongs; remove it (rm -r " + entry() + ") and build again", e.getMessage());
        assertEquals(0, server.requests("/a/" + FILE));
    }

    /** A trickle of a byte at a time never trips the stall timer; the attempt's deadline ends it. */
    @Test
    void aTrickleEndsAtTheDeadline() throws Exception {
        server.serveSlowly("/a/" + FILE, CONTENT, 1, 100, null);
        BuildPlan.SourceInfo source = Sources.source(FILE, CONTENT, server.url("/a/" + FILE));
        Transfer quick = new Transfer(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(1))
                .withDeadline(Duration.ofSeconds(2));
        SourceFetcher fetcher = new SourceFetcher(cache, dir.resolve("keys"), false, Sources.noApt(dir), console, quick);

        UserError e = assertThrows(UserError.class, () -> fetcher.fetch(source));

        assertTrue(e.getMessage().matches("(?s).*: too slow: not done within 2 s after \\d+ bytes.*"), e.getMessage());
        assertEquals(List.of(SHA + "/.lock"), Sources.listing(cache));
    }

    @Test
    void downloadBrokenOffMidwayLeavesNoTempFile() throws Exception {
        server.breakOff("/a/" + FILE, CONTENT, 100_000);
        BuildPlan.SourceInfo source = Sources.source(FILE, CONTENT, server.url("/a/" + FILE));

        UserError e = assertThrows(UserError.class, () -> fetcher(false).fetch(source));

        assertTrue(e.getMessage().contains(server.url("/a/" + FILE) + ": broke off after "), e.getMessage());
        assertTrue(e.getMessage().contains(" of " + CONTENT.length + " bytes"), e.getMessage());
        assertEquals(List.of(SHA + "/.lock"), Sources.listing(cache));
    }

    @Test
    void stalledDownloadIsAbandonedAndLeavesNoTempFile() throws Exception {
        server.stall("/a/" + FILE, CONTENT, 50_000, 20_000);
        BuildPlan.SourceInfo source = Sources.source(FILE, CONTENT, server.url("/a/" + FILE));
        Transfer quick = new Transfer(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(1));
        SourceFetcher fetcher = new SourceFetcher(cache, dir.resolve("keys"), false, Sources.noApt(dir), console, quick);

        long start = System.nanoTime();
        UserError e = assertThrows(UserError.class, () -> fetcher.fetch(source));

        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10, "gave up in time");
        assertTrue(e.getMessage().contains(": stalled: no data for 1 s after 50000 bytes"), e.getMessage());
        assertEquals(List.of(SHA + "/.lock"), Sources.listing(cache));
    }

    @Test
    void tempFilesLeftByADeadProcessAreRemoved() throws Exception {
        Files.createDirectories(entry().getParent());
        Path stale = entry().getParent().resolve("." + FILE + ".12345" + SourceCache.TEMP_SUFFIX);
        Files.write(stale, new byte[10]);
        server.serve("/a/" + FILE, CONTENT);

        fetcher(false).fetch(Sources.source(FILE, CONTENT, server.url("/a/" + FILE)));

        assertEquals(List.of(SHA + "/.lock", SHA + "/" + FILE), Sources.listing(cache));
    }

    @Test
    void fileUrlsAreCopiedAndRedirectsFollowed() throws Exception {
        Path local = dir.resolve("mirror").resolve(FILE);
        Files.createDirectories(local.getParent());
        Files.write(local, CONTENT);
        assertEquals(entry(), fetcher(false).fetch(Sources.source(FILE, CONTENT, local.toUri().toString())));
        assertTrue(console.said("fetched from " + local.toUri()), console.toString());

        Path otherCache = dir.resolve("cache2");
        server.redirect("/old/" + FILE, "/new/" + FILE).serve("/new/" + FILE, CONTENT);
        Path redirected = new SourceFetcher(otherCache, dir.resolve("keys"), false, Sources.noApt(dir), console)
                .fetch(Sources.source(FILE, CONTENT, server.url("/old/" + FILE)));
        assertArrayEquals(CONTENT, Files.readAllBytes(redirected));
        assertEquals(1, server.requests("/new/" + FILE));
    }

    @Test
    void aptPoolIsTheSourcePoolOfEveryConfiguredArchive() throws Exception {
        Path apt = dir.resolve("apt");
        Files.createDirectories(apt.resolve("sources.list.d"));
        Files.writeString(apt.resolve("sources.list"), "deb " + server.url("/first/debian/") + " bookworm main\n");
        Files.writeString(apt.resolve("sources.list.d/more.sources"), "Types: deb-src\nURIs: "
                + server.url("/second/debian") + "\nSuites: bookworm\nComponents: main\n");
        String pool = "/pool/main/p/python3.11/python3.11_3.11.2.orig.tar.gz";
        server.serve("/second/debian" + pool, CONTENT);
        SourceFetcher fetcher = new SourceFetcher(cache, dir.resolve("keys"), false, AptSources.read(apt), console);

        Path path = fetcher.fetch(Sources.source(FILE, CONTENT, "apt-pool"));

        assertArrayEquals(CONTENT, Files.readAllBytes(path));
        assertTrue(console.said("WARN Source " + FILE + ": apt-pool " + server.url("/first/debian" + pool)
                + ": HTTP 404"), console.toString());
        assertTrue(console.said("fetched from " + server.url("/second/debian" + pool)), console.toString());
    }

    @Test
    void aRedirectLoopIsCalledOneNotAnHttpsToHttpRedirect() throws Exception {
        server.redirect("/a/" + FILE, "/b/" + FILE).redirect("/b/" + FILE, "/a/" + FILE);
        UserError e = assertThrows(UserError.class,
                () -> fetcher(false).fetch(Sources.source(FILE, CONTENT, server.url("/a/" + FILE))));
        // Asked: a, b, a, b, a; the last answer (from a itself) is not followed.
        assertTrue(e.getMessage().contains("  - " + server.url("/a/" + FILE) + ": HTTP 302, a redirect to /b/" + FILE
                + " that was not followed: a redirect loop (" + server.url("/b/" + FILE) + " again after 4 redirects)\n"),
                e.getMessage());
        assertFalse(e.getMessage().contains("https"), e.getMessage());
    }

    @Test
    void aRedirectFromHttpsToHttpSaysSo() {
        assertEquals(", a redirect to http://example.org/x that was not followed (from https to http)",
                Transfer.unfollowedRedirect(java.net.URI.create("https://example.org/y"), "http://example.org/x",
                        List.of(java.net.URI.create("https://example.org/y"))));
        assertEquals(", a redirect to ftp://example.org/x that was not followed (only http and https are)",
                Transfer.unfollowedRedirect(java.net.URI.create("https://example.org/y"), "ftp://example.org/x",
                        List.of(java.net.URI.create("https://example.org/y"))));
        assertEquals(", a redirect to /z that was not followed (after 4 redirects, the most that are followed)",
                Transfer.unfollowedRedirect(java.net.URI.create("http://example.org/y"), "/z",
                        List.of(java.net.URI.create("http://example.org/a"), java.net.URI.create("http://example.org/b"),
                                java.net.URI.create("http://example.org/c"), java.net.URI.create("http://example.org/d"),
                                java.net.URI.create("http://example.org/y"))));
    }

    @Test
    void anUnusableCacheDirectoryIsAUserError() throws Exception {
        Files.writeString(cache, "a file where the cache directory should be");
        UserError e = assertThrows(UserError.class,
                () -> fetcher(false).fetch(Sources.source(FILE, CONTENT, server.url("/a/" + FILE))));
        assertTrue(e.getMessage().startsWith("Cannot use the source cache " + cache + ": "), e.getMessage());
        assertTrue(e.getMessage().endsWith("; make it a writable directory, or choose another with "
                + "sourceCache=DIR"), e.getMessage());
    }

    @Test
    void malformedSourceEntriesAreUserErrors() {
        SourceFetcher fetcher = fetcher(false);
        UserError badSha = assertThrows(UserError.class, () -> fetcher.fetch(
                new BuildPlan.SourceInfo(FILE, "abc", List.of(), null, null)));
        assertTrue(badSha.getMessage().contains("sha256 'abc' is not 64 hex digits"), badSha.getMessage());
        UserError badFile = assertThrows(UserError.class, () -> fetcher.fetch(
                new BuildPlan.SourceInfo("../" + FILE, SHA, List.of(), null, null)));
        assertTrue(badFile.getMessage().contains("file '../" + FILE + "' is not a plain file name"), badFile.getMessage());
    }
}
