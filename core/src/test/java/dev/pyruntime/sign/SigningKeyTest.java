package dev.pyruntime.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyruntime.UserError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signing key is taken as maven-gpg-plugin takes it, from a key that Debian's gpg made and exported, and what it
 * signs is what a consumer's stock {@code gpg --verify} accepts, and rejects once a byte changed.
 */
class SigningKeyTest {
    static final String PASSPHRASE = "correct horse battery staple";
    @TempDir
    static Path dir;
    static Gpg publisher;
    static Gpg consumer;
    static String primary;
    static String armoredSecret;

    @BeforeAll
    static void makeKey() throws Exception {
        publisher = new Gpg(dir.resolve("publisher"));
        primary = publisher.makeKey("Runtime Releases <releases@example.org>", PASSPHRASE);
        armoredSecret = publisher.exportSecret(primary, PASSPHRASE);
        consumer = new Gpg(dir.resolve("consumer"));
    }

    @AfterAll
    static void stopAgents() throws Exception {
        publisher.close();
        consumer.close();
    }

    static SigningKey fromEnvironment() throws Exception {
        return SigningKey.configured(Map.of(SigningKey.ENV_KEY, armoredSecret, SigningKey.ENV_PASSPHRASE, PASSPHRASE),
                null, null, "keyFile");
    }

    @Test
    void signaturesFromTheEnvironmentsKeyPassStockGpgVerifyAndATamperedFileFails() throws Exception {
        SigningKey key = fromEnvironment();
        assertEquals(primary, key.primaryFingerprint());
        assertEquals(publisher.fingerprints().get(1), key.fingerprint(), "the signing subkey signs, as gpg picks it");
        Path published = Files.write(dir.resolve("published.bin"), "runtime bytes\n".getBytes(StandardCharsets.UTF_8));
        Path signature = Files.write(dir.resolve("published.bin.asc"), key.sign(published));
        Path keys = Files.write(dir.resolve("KEYS"), key.publicKeyArmored());

        consumer.ok("--import", keys.toString());
        Gpg.Result good = consumer.run("--verify", signature.toString(), published.toString());
        assertEquals(0, good.exit(), good.err());
        assertTrue(good.err().contains("Good signature from \"Runtime Releases <releases@example.org>\""), good.err());

        Files.write(published, "runtime bytez\n".getBytes(StandardCharsets.UTF_8));
        Gpg.Result bad = consumer.run("--verify", signature.toString(), published.toString());
        assertNotEquals(0, bad.exit());
        assertTrue(bad.err().contains("BAD signature"), bad.err());
    }

    @Test
    void aClearsignedFileCarriesItsTextAndSignatureTogether() throws Exception {
        SigningKey key = fromEnvironment();
        consumer.ok("--import", Files.write(dir.resolve("KEYS2"), key.publicKeyArmored()).toString());
        String text = "0123  a file\n-starts with a dash\n{\n  \"json\" : true\n}\n";
        Path signed = Files.write(dir.resolve("SUMS.asc"), key.clearsign(text));

        Gpg.Result verified = consumer.run("--verify", signed.toString());
        assertEquals(0, verified.exit(), verified.err());
        assertEquals(text, consumer.ok("--decrypt", signed.toString()), "gpg gives back the text as it was");

        Files.writeString(signed, Files.readString(signed).replace("0123", "0124"));
        assertNotEquals(0, consumer.run("--verify", signed.toString()).exit());
    }

    /** The primary key kept offline: only the signing subkey's secret is exported, the primary's is a stub. */
    @Test
    void aKeyExportedWithoutItsPrimarySecretSignsWithItsSubkey() throws Exception {
        String subkeysOnly = publisher.ok("--pinentry-mode", "loopback", "--passphrase", PASSPHRASE, "--armor",
                "--export-secret-subkeys", primary);
        SigningKey key = SigningKey.configured(Map.of(SigningKey.ENV_KEY, subkeysOnly, SigningKey.ENV_PASSPHRASE,
                PASSPHRASE), null, null, "keyFile");
        assertEquals(publisher.fingerprints().get(1), key.fingerprint());
        assertEquals(primary, key.primaryFingerprint());
        Path data = Files.writeString(dir.resolve("subkey-signed"), "bytes\n");
        Path sig = Files.write(dir.resolve("subkey-signed.asc"), key.sign(data));
        consumer.ok("--import", Files.write(dir.resolve("KEYS3"), key.publicKeyArmored()).toString());
        assertEquals(0, consumer.run("--verify", sig.toString(), data.toString()).exit());
    }

    @Test
    void aKeyFileAndAFingerprintChooseTheKeyAndMistakesNameTheFix() throws Exception {
        String setting = "python-runtime.signing.keyFile";
        Path file = Files.writeString(dir.resolve("secret.asc"), armoredSecret);
        Map<String, String> env = Map.of(SigningKey.ENV_PASSPHRASE, PASSPHRASE);
        String subkey = publisher.fingerprints().get(1);
        assertEquals(subkey, SigningKey.configured(env, file.toString(), subkey, setting).fingerprint());
        assertEquals(subkey, SigningKey.configured(Map.of(SigningKey.ENV_PASSPHRASE, PASSPHRASE,
                SigningKey.ENV_FINGERPRINT, subkey.toLowerCase()), file.toString(), null, setting).fingerprint());

        assertNull(SigningKey.configured(Map.of(), null, null, setting), "no key: deploy publishes unsigned");
        String onlyCertifies = assertThrows(UserError.class,
                () -> SigningKey.configured(env, file.toString(), primary, setting)).getMessage();
        assertTrue(onlyCertifies.contains("may not sign data"), onlyCertifies);
        String wrong = assertThrows(UserError.class, () -> SigningKey.configured(Map.of(SigningKey.ENV_PASSPHRASE,
                "not it"), file.toString(), null, setting)).getMessage();
        assertTrue(wrong.contains("the passphrase in MAVEN_GPG_PASSPHRASE is wrong") && !wrong.contains("not it"), wrong);
        String none = assertThrows(UserError.class, () -> SigningKey.configured(Map.of(), file.toString(), null,
                setting)).getMessage();
        assertTrue(none.contains("protected by a passphrase; put it in MAVEN_GPG_PASSPHRASE"), none);
        String both = assertThrows(UserError.class, () -> SigningKey.configured(Map.of(SigningKey.ENV_KEY,
                armoredSecret), file.toString(), null, setting)).getMessage();
        assertTrue(both.contains("Both MAVEN_GPG_KEY and " + setting), both);
        String missing = assertThrows(UserError.class, () -> SigningKey.configured(env, dir.resolve("nope.asc")
                .toString(), null, setting)).getMessage();
        assertTrue(missing.startsWith(setting + " '") && missing.contains("no such file"), missing);
        String publicOnly = assertThrows(UserError.class, () -> SigningKey.configured(env,
                Files.write(dir.resolve("public.asc"), fromEnvironment().publicKeyArmored()).toString(), null, setting))
                .getMessage();
        assertTrue(publicOnly.contains("is not an OpenPGP secret key"), publicOnly);
        String other = assertThrows(UserError.class, () -> SigningKey.configured(env, file.toString(),
                "0".repeat(40), setting)).getMessage();
        assertTrue(other.contains("has no key " + "0".repeat(40) + "; it has " + primary), other);
    }
}
