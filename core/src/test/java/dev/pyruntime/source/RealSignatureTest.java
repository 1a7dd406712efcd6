package dev.pyruntime.source;

import dev.pyruntime.sign.BadSignature;
import dev.pyruntime.sign.SignatureCheck;
import dev.pyruntime.RecordingConsole;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.pyruntime.UserError;
import dev.pyruntime.plan.BuildPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real thing: CPython 3.13.5's tarball and its detached signature, fetched through {@code apt-pool} from the
 * source pool of the apt archive this machine is configured with (the only network this test suite uses), checked
 * against the catalog's key file for Thomas Wouters' pinned fingerprint. They are cached in
 * {@code target/real-sources}, so repeated runs do not fetch them again.
 */
class RealSignatureTest {
    static final String FILE = "Python-3.13.5.tar.xz";
    static final String SIG = FILE + ".asc";
    static final String SHA = "93e583f243454e6e9e4588ca2c2662206ad961659863277afcdb96801647d640";
    static final String FPR = "7169605F62C751356D054A26A821E680E5FA6305";
    static final Path KEYS = Path.of("../manifests/keys");
    static final Path CACHE = Path.of("target/real-sources");
    private static Path tarball;
    private static RecordingConsole fetchLog;

    @TempDir
    Path dir;

    static BuildPlan.SourceInfo real() {
        return new BuildPlan.SourceInfo(FILE, SHA, List.of("apt-pool"), SIG, FPR);
    }

    @BeforeAll
    static void fetchTheRealRelease() throws Exception {
        AptSources apt = AptSources.system();
        assumeFalse(apt.baseUris().isEmpty(), "this machine has no apt archive configured: " + apt.notes());
        fetchLog = new RecordingConsole(true);
        tarball = new SourceFetcher(CACHE, KEYS, false, apt, fetchLog).fetch(real());
    }

    @Test
    void theRealSignatureVerifies() {
        assertTrue(fetchLog.said("INFO Source " + FILE + ": cached")
                || fetchLog.said("INFO Source " + FILE + ": fetched from " + AptSources.system().baseUris().get(0)
                + "/pool/main/p/python3.13/python3.13_3.13.5.orig.tar.xz ("), fetchLog.toString());
        assertTrue(fetchLog.said("INFO Source " + FILE + ": signature verified (key " + FPR + ", made 2025-06-11"),
                fetchLog.toString());
        assertTrue(Files.isRegularFile(CACHE.resolve(SHA).resolve(SIG)));
    }

    @Test
    void theRealSignatureOverATamperedCopyIsBad() throws Exception {
        byte[] bytes = Files.readAllBytes(tarball);
        bytes[bytes.length / 2] ^= 0x01;
        Path tampered = dir.resolve(FILE);
        Files.write(tampered, bytes);

        BadSignature e = assertThrows(BadSignature.class, () -> SignatureCheck.load(KEYS.resolve(FPR + ".asc"), FPR)
                .verify(tampered, CACHE.resolve(SHA).resolve(SIG)));

        assertEquals("does not match " + FILE + ": BAD signature (the file or the signature was altered, or they "
                + "belong to different releases)", e.getMessage());
    }

    @Test
    void aTamperedTarballPinnedByItsOwnSha256IsStoppedByTheSignature() throws Exception {
        byte[] bytes = Files.readAllBytes(tarball);
        bytes[12345] ^= 0x01;
        try (LocalServer server = new LocalServer()) {
            server.serve("/python/" + FILE, bytes).serve("/python/" + SIG,
                    Files.readAllBytes(CACHE.resolve(SHA).resolve(SIG)));
            BuildPlan.SourceInfo source = new BuildPlan.SourceInfo(FILE, Sources.sha256(bytes),
                    List.of(server.url("/python/" + FILE)), SIG, FPR);
            SourceFetcher fetcher = new SourceFetcher(dir.resolve("cache"), KEYS, false, Sources.noApt(dir),
                    new RecordingConsole());

            UserError e = assertThrows(UserError.class, () -> fetcher.fetch(source));

            assertTrue(e.getMessage().contains(server.url("/python/" + SIG) + ": signature does not match " + FILE
                    + ": BAD signature"), e.getMessage());
            assertTrue(e.getMessage().contains("no signature proves it was released by " + FPR), e.getMessage());
            assertFalse(Files.exists(dir.resolve("cache").resolve(Sources.sha256(bytes)).resolve(SIG)));
        }
    }

    @Test
    void theRealKeyFileUnderAnotherPinFails() throws Exception {
        String other = "A035C8C19219BA821ECEA86B64E628F8D684696D";
        Path keys = Files.createDirectories(dir.resolve("keys"));
        Files.copy(KEYS.resolve(FPR + ".asc"), keys.resolve(other + ".asc"));
        BuildPlan.SourceInfo source = new BuildPlan.SourceInfo(FILE, SHA, List.of("apt-pool"), SIG, other);

        UserError e = assertThrows(UserError.class, () -> new SourceFetcher(CACHE, keys, true, Sources.noApt(dir),
                new RecordingConsole()).fetch(source));

        assertTrue(e.getMessage().startsWith("Key file " + keys.resolve(other + ".asc") + " does not match the pinned "
                + "fingerprint " + other + ": it holds " + FPR + ", 2770054CA07604BEC801EE7222EF7ACB211508C5"),
                e.getMessage());
    }
}
