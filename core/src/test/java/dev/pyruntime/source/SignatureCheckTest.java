package dev.pyruntime.source;

import dev.pyruntime.sign.BadSignature;
import dev.pyruntime.sign.SignatureCheck;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyruntime.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPSignature;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signature checks with keys made for the test (every rule, quickly), and the real key file of the catalog against
 * the wrong pin. The real 3.13.5 tarball and signature are checked in {@link RealSignatureTest}.
 */
class SignatureCheckTest {
    static final Path REAL_KEY = Path.of("../manifests/keys/7169605F62C751356D054A26A821E680E5FA6305.asc");
    private static final Date CREATED = Date.from(Instant.parse("2020-01-01T00:00:00Z"));
    private static final Date LATER = Date.from(Instant.parse("2020-06-01T00:00:00Z"));
    private static final byte[] DATA = Sources.tarball(50_000, 7);
    private static TestKeys keys;
    private static TestKeys stranger;
    private static TestKeys expiring;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeKeys() throws Exception {
        keys = TestKeys.generate(CREATED, 0);
        stranger = TestKeys.generate(CREATED, 0);
        expiring = TestKeys.generate(CREATED, 365L * 24 * 3600);
    }

    private Path write(String name, byte[] bytes) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private SignatureCheck check(TestKeys k) throws Exception {
        return SignatureCheck.load(k.writePublicKey(dir.resolve("keys")), k.fingerprint());
    }

    @Test
    void goodSignatureByThePrimaryKey() throws Exception {
        Path asc = write("data.asc", TestKeys.sign(keys.primary, DATA, LATER));
        SignatureCheck.Verified verified = check(keys).verify(write("data", DATA), asc);
        assertEquals(keys.fingerprint(), verified.signer());
        assertEquals(LATER.toInstant(), verified.made());
        assertNull(verified.keyExpires());
    }

    @Test
    void goodSignatureByABoundSigningSubkey() throws Exception {
        Path asc = write("data.asc", TestKeys.sign(keys.subkey, DATA, LATER));
        assertEquals(keys.subkeyFingerprint(), check(keys).verify(write("data", DATA), asc).signer());
    }

    @Test
    void tamperedDataFails() throws Exception {
        Path asc = write("data.asc", TestKeys.sign(keys.primary, DATA, LATER));
        byte[] tampered = DATA.clone();
        tampered[12345] ^= 0x01;
        BadSignature e = assertThrows(BadSignature.class, () -> check(keys).verify(write("data", tampered), asc));
        assertEquals("does not match data: BAD signature (the file or the signature was altered, or they belong to "
                + "different releases)", e.getMessage());
    }

    @Test
    void signatureByAnotherKeyFails() throws Exception {
        Path asc = write("data.asc", TestKeys.sign(stranger.primary, DATA, LATER));
        BadSignature e = assertThrows(BadSignature.class, () -> check(keys).verify(write("data", DATA), asc));
        assertEquals(String.format("made by key %016X, not by %s or one of its signing subkeys",
                stranger.primary.getKeyID(), keys.fingerprint()), e.getMessage());
    }

    @Test
    void signatureMadeAfterTheKeyExpiredFails() throws Exception {
        Date afterExpiry = Date.from(Instant.parse("2021-06-01T00:00:00Z"));
        Path asc = write("data.asc", TestKeys.sign(expiring.primary, DATA, afterExpiry));
        BadSignature e = assertThrows(BadSignature.class, () -> check(expiring).verify(write("data", DATA), asc));
        assertEquals("made on 2021-06-01T00:00:00Z, after the key expired on 2020-12-31T00:00:00Z", e.getMessage());
    }

    @Test
    void signatureMadeBeforeTheKeyExpiredStillVerifies() throws Exception {
        Path asc = write("data.asc", TestKeys.sign(expiring.primary, DATA, LATER));
        SignatureCheck.Verified verified = check(expiring).verify(write("data", DATA), asc);
        assertEquals(Instant.parse("2020-12-31T00:00:00Z"), verified.keyExpires());
    }

    @Test
    void weakDigestsAndTextSignaturesAreRefused() throws Exception {
        Path data = write("data", DATA);
        Path sha1 = write("sha1.asc", TestKeys.sign(keys.primary, DATA, LATER, PGPSignature.BINARY_DOCUMENT,
                HashAlgorithmTags.SHA1));
        assertEquals("uses a weak digest (OpenPGP hash algorithm 2)",
                assertThrows(BadSignature.class, () -> check(keys).verify(data, sha1)).getMessage());
        Path text = write("text.asc", TestKeys.sign(keys.primary, DATA, LATER, PGPSignature.CANONICAL_TEXT_DOCUMENT,
                HashAlgorithmTags.SHA256));
        assertEquals("is of type 0x01, not over a binary document",
                assertThrows(BadSignature.class, () -> check(keys).verify(data, text)).getMessage());
    }

    @Test
    void somethingElseThanASignatureFails() throws Exception {
        Path data = write("data", DATA);
        Path html = write("data.asc", "<html>404 Not Found</html>\n".getBytes());
        BadSignature e = assertThrows(BadSignature.class, () -> check(keys).verify(data, html));
        assertTrue(e.getMessage().startsWith("is not an OpenPGP detached signature"), e.getMessage());
    }

    @Test
    void realKeyFileAgainstAnotherPinFails() {
        UserError e = assertThrows(UserError.class,
                () -> SignatureCheck.load(REAL_KEY, "A035C8C19219BA821ECEA86B64E628F8D684696D"));
        assertEquals("Key file " + REAL_KEY + " does not match the pinned fingerprint "
                + "A035C8C19219BA821ECEA86B64E628F8D684696D: it holds 7169605F62C751356D054A26A821E680E5FA6305, "
                + "2770054CA07604BEC801EE7222EF7ACB211508C5; put the public key of "
                + "A035C8C19219BA821ECEA86B64E628F8D684696D at " + REAL_KEY + " (see manifests/keys/README.md)",
                e.getMessage());
    }

    @Test
    void realKeyFileLoadsForItsPinAndRefusesAnotherKeysSignature() throws Exception {
        SignatureCheck real = SignatureCheck.load(REAL_KEY, "7169605f62c751356d054a26a821e680e5fa6305");
        assertEquals("7169605F62C751356D054A26A821E680E5FA6305", real.fingerprint(), "a lower-case pin finds the key");
        // A good signature, but by the test key: the real key does not vouch for it.
        Path asc = write("data.asc", TestKeys.sign(keys.primary, DATA, LATER));
        assertThrows(BadSignature.class, () -> real.verify(write("data", DATA), asc));
    }

    @Test
    void aKeyFileThatIsNoKeyFails() throws Exception {
        Path garbage = write("garbage.asc", "not a key\n".getBytes());
        UserError e = assertThrows(UserError.class, () -> SignatureCheck.load(garbage, keys.fingerprint()));
        assertTrue(e.getMessage().startsWith("Key file " + garbage + " is not an OpenPGP public key"), e.getMessage());
    }
}
