package dev.pyruntime.source;

import dev.pyruntime.sign.BadSignature;
import dev.pyruntime.sign.SignatureCheck;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Date;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;

/**
 * Real OpenPGP keys made for tests with Bouncy Castle: a primary key (certify and sign) with a signing subkey,
 * optionally expiring, and detached signatures made with either.
 */
final class TestKeys {
    private static final SecureRandom RANDOM = new SecureRandom();

    final PGPKeyPair primary;
    final PGPKeyPair subkey;
    final PGPPublicKeyRing publicRing;

    private TestKeys(PGPKeyPair primary, PGPKeyPair subkey, PGPPublicKeyRing publicRing) {
        this.primary = primary;
        this.subkey = subkey;
        this.publicRing = publicRing;
    }

    /** A key made at {@code created}, valid for {@code validSeconds} (0: forever), with a bound signing subkey. */
    static TestKeys generate(Date created, long validSeconds) throws PGPException {
        PGPKeyPair primary = new BcPGPKeyPair(PublicKeyAlgorithmTags.RSA_GENERAL, rsa(), created);
        PGPKeyPair subkey = new BcPGPKeyPair(PublicKeyAlgorithmTags.RSA_GENERAL, rsa(), created);
        PGPSignatureSubpacketGenerator self = new PGPSignatureSubpacketGenerator();
        self.setSignatureCreationTime(false, created);
        self.setKeyFlags(false, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
        if (validSeconds > 0) {
            self.setKeyExpirationTime(false, validSeconds);
        }
        PGPSignatureSubpacketGenerator binding = new PGPSignatureSubpacketGenerator();
        binding.setSignatureCreationTime(false, created);
        binding.setKeyFlags(false, KeyFlags.SIGN_DATA);
        PGPKeyRingGenerator generator = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, primary,
                "Test Release Manager <rm@example.org>",
                new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1), self.generate(), null,
                new BcPGPContentSignerBuilder(PublicKeyAlgorithmTags.RSA_GENERAL, HashAlgorithmTags.SHA256), null);
        generator.addSubKey(subkey, binding.generate(), null);
        return new TestKeys(primary, subkey, generator.generatePublicKeyRing());
    }

    private static org.bouncycastle.crypto.AsymmetricCipherKeyPair rsa() {
        RSAKeyPairGenerator generator = new RSAKeyPairGenerator();
        generator.init(new RSAKeyGenerationParameters(BigInteger.valueOf(0x10001), RANDOM, 2048, 80));
        return generator.generateKeyPair();
    }

    String fingerprint() {
        return SignatureCheck.hex(publicRing.getPublicKey());
    }

    String subkeyFingerprint() {
        return SignatureCheck.hex(subkey.getPublicKey());
    }

    /** Writes the public key, ASCII-armored, as {@code <dir>/<FINGERPRINT>.asc}. */
    Path writePublicKey(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(fingerprint() + ".asc");
        try (OutputStream out = new ArmoredOutputStream(Files.newOutputStream(file))) {
            publicRing.encode(out);
        }
        return file;
    }

    /** A detached, ASCII-armored signature over {@code data}, made with {@code key} at {@code when}. */
    static byte[] sign(PGPKeyPair key, byte[] data, Date when, int type, int hash) throws PGPException, IOException {
        PGPSignatureGenerator generator = new PGPSignatureGenerator(
                new BcPGPContentSignerBuilder(key.getPublicKey().getAlgorithm(), hash), key.getPublicKey());
        generator.init(type, key.getPrivateKey());
        PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
        hashed.setSignatureCreationTime(false, when);
        hashed.setIssuerFingerprint(false, key.getPublicKey());
        generator.setHashedSubpackets(hashed.generate());
        PGPSignatureSubpacketGenerator unhashed = new PGPSignatureSubpacketGenerator();
        unhashed.setIssuerKeyID(false, key.getKeyID());
        generator.setUnhashedSubpackets(unhashed.generate());
        generator.update(data);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new ArmoredOutputStream(bytes)) {
            generator.generate().encode(out);
        }
        return bytes.toByteArray();
    }

    static byte[] sign(PGPKeyPair key, byte[] data, Date when) throws PGPException, IOException {
        return sign(key, data, when, PGPSignature.BINARY_DOCUMENT, HashAlgorithmTags.SHA512);
    }

    PGPPublicKey primaryPublic() {
        return publicRing.getPublicKey();
    }
}
