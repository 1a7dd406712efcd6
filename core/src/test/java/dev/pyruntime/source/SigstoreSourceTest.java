package dev.pyruntime.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyruntime.RecordingConsole;
import dev.pyruntime.UserError;
import dev.pyruntime.plan.BuildPlan;
import dev.pyruntime.sign.SigstoreCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sigstore bundles through the fetcher, checked offline with sigstore-java against the trusted root kept beside the
 * catalog ({@code manifests/keys/sigstore-trusted-root.json}, the public-good instance's). No CPython bundle can be
 * fetched on this machine (python.org is not reachable, Debian's pool has none), so the signed file is a real one from
 * Maven Central: sigstore-java's own release jar with the bundle its release workflow made (the build copies both into
 * {@code target/sigstore-sample}), served under a 3.14 source's name, as a mirror would serve a release.
 */
class SigstoreSourceTest {
    static final String FILE = "Python-3.14.6.tar.xz";
    static final String BUNDLE = FILE + ".sigstore";
    static final Path SAMPLE = Path.of("target/sigstore-sample");
    /** Who signed the sample: sigstore-java's release workflow, through GitHub's OIDC issuer. */
    static final SigstoreCheck.Identity SIGNER = new SigstoreCheck.Identity(
            "https://github.com/sigstore/sigstore-java/.github/workflows/release-sigstore-java-from-tag.yaml@refs/tags/v1.3.0",
            "https://token.actions.githubusercontent.com");

    @TempDir
    Path dir;
    Path keysDir;
    LocalServer server;
    RecordingConsole console;
    byte[] data;
    String sha;

    @BeforeEach
    void serve() throws Exception {
        data = Files.readAllBytes(SAMPLE.resolve("signed.jar"));
        sha = Sources.sha256(data);
        keysDir = Files.createDirectories(dir.resolve("keys"));
        Files.copy(Path.of("../manifests/keys/sigstore-trusted-root.json"), keysDir.resolve("sigstore-trusted-root.json"));
        server = new LocalServer().serve("/a/" + FILE, data)
                .serve("/a/" + BUNDLE, Files.readAllBytes(SAMPLE.resolve("signed.jar.sigstore")));
        console = new RecordingConsole();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    Path fetch(SigstoreCheck.Identity who) throws Exception {
        return new SourceFetcher(dir.resolve("cache"), keysDir, false, Sources.noApt(dir), console).fetch(
                new BuildPlan.SourceInfo(FILE, sha, List.of(server.url("/a/" + FILE)), BUNDLE, who.encoded()));
    }

    @Test
    void aBundleOfThePinnedIdentityVerifiesOfflineAndIsCached() throws Exception {
        fetch(SIGNER);
        fetch(SIGNER);
        assertEquals(1, server.requests("/a/" + BUNDLE), "the verified bundle is cached");
        assertEquals(2, console.count("INFO Source " + FILE + ": signature verified (" + SIGNER + ", made 2025-02-25)"),
                console.toString());
    }

    @Test
    void anotherIdentityIsRefusedNamingTheOnePinned() {
        SigstoreCheck.Identity releaseManager = new SigstoreCheck.Identity("hugo@python.org",
                "https://github.com/login/oauth");
        UserError e = assertThrows(UserError.class, () -> fetch(releaseManager));
        assertTrue(e.getMessage().startsWith("Cannot verify source " + FILE + " with signature " + BUNDLE + " by "
                + releaseManager), e.getMessage());
        assertTrue(e.getMessage().contains("does not prove " + FILE + " was signed by " + releaseManager),
                e.getMessage());
        assertFalse(Files.exists(dir.resolve("cache").resolve(sha).resolve(BUNDLE)), "a bundle that fails is not cached");
    }

    @Test
    void aBundleOverOtherBytesIsRefused() throws Exception {
        data[1000] ^= 1;
        sha = Sources.sha256(data);
        server.serve("/a/" + FILE, data);
        UserError e = assertThrows(UserError.class, () -> fetch(SIGNER));
        assertTrue(e.getMessage().contains("does not prove " + FILE + " was signed by " + SIGNER), e.getMessage());
    }

    @Test
    void somethingThatIsNotABundleIsRefused() throws Exception {
        server.serve("/a/" + BUNDLE, "{\"mediaType\": \"not a bundle\"}".getBytes());
        UserError e = assertThrows(UserError.class, () -> fetch(SIGNER));
        assertTrue(e.getMessage().contains("is not a Sigstore bundle"), e.getMessage());
    }
}
