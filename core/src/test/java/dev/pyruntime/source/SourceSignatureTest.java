package dev.pyruntime.source;

import dev.pyruntime.RecordingConsole;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyruntime.UserError;
import dev.pyruntime.plan.BuildPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signatures through the fetcher: fetched from the source's places, checked, cached; keys made for the test. */
class SourceSignatureTest {
    private static final String FILE = "Python-3.13.5.tar.xz";
    private static final String SIG = FILE + ".asc";
    private static final byte[] DATA = Sources.tarball(200_000, 21);
    private static final String SHA = Sources.sha256(DATA);
    private static final Date MADE = Date.from(Instant.parse("2020-06-01T00:00:00Z"));
    private static TestKeys keys;
    private static TestKeys stranger;
    private static byte[] good;

    @TempDir
    Path dir;
    Path cache;
    Path keysDir;
    LocalServer server;
    RecordingConsole console;

    @BeforeAll
    static void makeKeys() throws Exception {
        keys = TestKeys.generate(Date.from(Instant.parse("2020-01-01T00:00:00Z")), 0);
        stranger = TestKeys.generate(Date.from(Instant.parse("2020-01-01T00:00:00Z")), 0);
        good = TestKeys.sign(keys.primary, DATA, MADE);
    }

    @BeforeEach
    void start() throws Exception {
        cache = dir.resolve("cache");
        keysDir = dir.resolve("keys");
        keys.writePublicKey(keysDir);
        server = new LocalServer().serve("/a/" + FILE, DATA);
        console = new RecordingConsole();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private SourceFetcher fetcher(boolean offline) {
        return new SourceFetcher(cache, keysDir, offline, Sources.noApt(dir), console);
    }

    private BuildPlan.SourceInfo pinned(String fingerprint, String... urls) {
        return new BuildPlan.SourceInfo(FILE, SHA, List.of(urls), SIG, fingerprint);
    }

    private BuildPlan.SourceInfo source(String... urls) {
        return pinned(keys.fingerprint(), urls);
    }

    private Path cachedSignature() {
        return cache.resolve(SHA).resolve(SIG);
    }

    @Test
    void verifiesTheSignatureAndCachesIt() throws Exception {
        server.serve("/a/" + SIG, good);

        fetcher(false).fetch(source(server.url("/a/" + FILE)));
        fetcher(false).fetch(source(server.url("/a/" + FILE)));

        assertEquals(1, server.requests("/a/" + SIG));
        assertEquals(List.of(SHA + "/.lock", SHA + "/" + FILE, SHA + "/" + SIG), Sources.listing(cache));
        assertEquals(2, console.count("INFO Source " + FILE + ": signature verified (key " + keys.fingerprint()
                + ", made 2020-06-01)"), console.toString());
    }

    @Test
    void aSignatureThatDoesNotVerifyIsSkippedForTheNextPlace() throws Exception {
        server.serve("/a/" + SIG, TestKeys.sign(stranger.primary, DATA, MADE)).serve("/b/" + SIG, good);

        fetcher(false).fetch(source(server.url("/a/" + FILE), server.url("/b/" + FILE)));

        assertTrue(console.said(String.format("WARN Source %s: %s: signature made by key %016X, not by %s or one of "
                + "its signing subkeys", FILE, server.url("/a/" + SIG), stranger.primary.getKeyID(),
                keys.fingerprint())), console.toString());
        assertTrue(console.said("signature verified"), console.toString());
        assertEquals(1, server.requests("/b/" + SIG));
    }

    @Test
    void aBadSignatureEverywhereFailsAndIsNotCached() throws Exception {
        byte[] tampered = DATA.clone();
        tampered[777] ^= 0x40;
        server.serve("/a/" + SIG, TestKeys.sign(keys.primary, tampered, MADE));

        UserError e = assertThrows(UserError.class, () -> fetcher(false).fetch(source(server.url("/a/" + FILE))));

        assertEquals("Cannot verify source " + FILE + " with signature " + SIG + " by " + keys.fingerprint()
                + "; tried:\n"
                + "  - cache " + cachedSignature() + ": not there\n"
                + "  - " + server.url("/a/" + SIG) + ": signature does not match " + FILE + ": BAD signature (the "
                + "file or the signature was altered, or they belong to different releases)\n"
                + "How to fix: " + FILE + " matches its pinned sha256 but no signature proves it was released by "
                + keys.fingerprint() + ": check the version's sha256 in the manifest against the release "
                + "announcement, and that " + keys.fingerprint() + " is the series' release manager.",
                e.getMessage());
        assertEquals(List.of(SHA + "/.lock", SHA + "/" + FILE), Sources.listing(cache));
    }

    @Test
    void aSignatureNowhereToBeHadFailsSayingHowToBuildWithoutIt() throws Exception {
        UserError e = assertThrows(UserError.class, () -> fetcher(false).fetch(source(server.url("/a/" + FILE))));
        assertTrue(e.getMessage().startsWith("Cannot verify source " + FILE + " with signature " + SIG), e.getMessage());
        assertTrue(e.getMessage().contains("  - " + server.url("/a/" + SIG) + ": HTTP 404\n"), e.getMessage());
        assertTrue(e.getMessage().endsWith("where no place you can reach has it, build without checking signatures "
                + "(skipSignatures), and only the pinned sha256 vouches for " + FILE + "."), e.getMessage());
    }

    @Test
    void skippingSignaturesChecksNoneButStillTheSha256() throws Exception {
        SourceFetcher skipping = new SourceFetcher(cache, keysDir, false, Sources.noApt(dir), console, true);
        // A bad signature is served: skipping means it is not even fetched.
        server.serve("/a/" + SIG, TestKeys.sign(stranger.primary, DATA, MADE));

        Path tarball = skipping.fetch(source(server.url("/a/" + FILE)));

        assertEquals(SHA, Sources.sha256(Files.readAllBytes(tarball)));
        assertEquals(0, server.requests("/a/" + SIG));
        assertTrue(console.said("WARN Source " + FILE + ": signature " + SIG + " not checked (the skipSignatures setting): "
                + "only its pinned sha256 vouches for " + FILE), console.toString());
        // The pin still holds: another file under the same name is refused.
        server.serve("/b/" + FILE, Sources.tarball(1000, 3));
        BuildPlan.SourceInfo wrong = new BuildPlan.SourceInfo(FILE, "a".repeat(64), List.of(server.url("/b/" + FILE)), SIG,
                keys.fingerprint());
        UserError e = assertThrows(UserError.class, () -> skipping.fetch(wrong));
        assertTrue(e.getMessage().contains("sha256 mismatch"), e.getMessage());
    }

    @Test
    void aCorruptCachedSignatureIsDeletedAndFetchedAgain() throws Exception {
        server.serve("/a/" + SIG, good);
        fetcher(false).fetch(source(server.url("/a/" + FILE)));
        Files.writeString(cachedSignature(), "garbage");

        fetcher(false).fetch(source(server.url("/a/" + FILE)));

        assertTrue(console.said("WARN Source " + FILE + ": cached signature " + cachedSignature()
                + " is not an OpenPGP detached signature"), console.toString());
        assertEquals(2, server.requests("/a/" + SIG));
        assertEquals(2, console.count("signature verified"), console.toString());
    }

    @Test
    void aPinnedKeyWithoutAKeyFileIsAWarningOnce() throws Exception {
        Files.delete(keysDir.resolve(keys.fingerprint() + ".asc"));
        SourceFetcher fetcher = fetcher(false);

        fetcher.fetch(source(server.url("/a/" + FILE)));
        fetcher.fetch(source(server.url("/a/" + FILE)));

        assertEquals(List.of("INFO Source " + FILE + ": fetched from " + server.url("/a/" + FILE),
                "WARN signature not checked: put the public key of " + keys.fingerprint() + " at "
                        + keysDir.resolve(keys.fingerprint() + ".asc"),
                "INFO Source " + FILE + ": cached"),
                console.lines().stream().map(l -> l.replaceAll(" \\(.* in .* s\\)$", "")).toList());
        assertEquals(0, server.requests("/a/" + SIG));
    }

    @Test
    void aKeyFileThatDoesNotMatchThePinFails() throws Exception {
        Files.copy(keysDir.resolve(keys.fingerprint() + ".asc"), keysDir.resolve(stranger.fingerprint() + ".asc"));
        server.serve("/a/" + SIG, good);

        UserError e = assertThrows(UserError.class,
                () -> fetcher(false).fetch(pinned(stranger.fingerprint(), server.url("/a/" + FILE))));

        assertTrue(e.getMessage().startsWith("Key file " + keysDir.resolve(stranger.fingerprint() + ".asc")
                + " does not match the pinned fingerprint " + stranger.fingerprint() + ": it holds "
                + keys.fingerprint() + ", " + keys.subkeyFingerprint() + "; put the public key of "), e.getMessage());
    }

    @Test
    void offlineWithoutTheSignatureFails() throws Exception {
        Files.createDirectories(cache.resolve(SHA));
        Files.write(cache.resolve(SHA).resolve(FILE), DATA);

        UserError e = assertThrows(UserError.class, () -> fetcher(true).fetch(source(server.url("/a/" + FILE))));

        assertEquals("Signature " + SIG + " of " + FILE + " is not in the source cache and the run is offline, so "
                + "it cannot be checked.\n  expected at: " + cachedSignature() + "\nRun the build once online, or "
                + "copy the signature to " + cachedSignature() + " by hand.", e.getMessage());
    }

    @Test
    void aSignatureWithoutAPinnedKeyIsAWarning() throws Exception {
        fetcher(false).fetch(pinned(null, server.url("/a/" + FILE)));
        assertTrue(console.said("WARN Source " + FILE + ": signature " + SIG + " not checked: the manifest pins no "
                + "OpenPGP key for this version's series (source.signingKeys)"), console.toString());
    }

    @Test
    void noSignatureDeclaredMeansNothingToCheck() throws IOException, UserError {
        fetcher(false).fetch(new BuildPlan.SourceInfo(FILE, SHA, List.of(server.url("/a/" + FILE)), null,
                keys.fingerprint()));
        assertEquals(1, console.lines().size(), console.toString());
    }
}
