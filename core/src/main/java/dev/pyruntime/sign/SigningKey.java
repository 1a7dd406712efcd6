package dev.pyruntime.sign;

import dev.pyruntime.SmallFiles;
import dev.pyruntime.UserError;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;

/**
 * The OpenPGP key that signs what deploy publishes, in the JVM (Bouncy Castle), taken as maven-gpg-plugin's {@code bc}
 * signer takes it: an ASCII-armored secret key in {@code MAVEN_GPG_KEY} or in a key file, its passphrase in
 * {@code MAVEN_GPG_PASSPHRASE} (never from the command line, where {@code ps} and the shell's history would show it),
 * and which key of the file signs in {@code MAVEN_GPG_FINGERPRINT} or the fingerprint setting. Without a fingerprint
 * the newest signing subkey signs, else the primary key, as {@code gpg} chooses.
 *
 * <p>Signatures are SHA-512, binary-document detached signatures ({@code <file>.asc}), or cleartext signatures for
 * files that change and must carry their signature inside them ({@link #clearsign}). Both are what {@code gpg --verify}
 * checks.
 */
public final class SigningKey {
    /** The environment variables, as maven-gpg-plugin names them. */
    public static final String ENV_KEY = "MAVEN_GPG_KEY";
    public static final String ENV_PASSPHRASE = "MAVEN_GPG_PASSPHRASE";
    public static final String ENV_FINGERPRINT = "MAVEN_GPG_FINGERPRINT";
    /** The most a secret key file may hold: a key with many subkeys and user ids is some kB. */
    private static final int MAX_KEY_BYTES = 1 << 20;

    private final PGPPrivateKey privateKey;
    private final PGPPublicKey signingKey;
    private final PGPPublicKeyRing certificate;

    private SigningKey(PGPPrivateKey privateKey, PGPPublicKey signingKey, PGPPublicKeyRing certificate) {
        this.privateKey = privateKey;
        this.signingKey = signingKey;
        this.certificate = certificate;
    }

    /**
     * The key configured by {@code env} and the settings, or null when none is: neither {@code MAVEN_GPG_KEY} nor a
     * key file.
     *
     * @param keyFile          the key file setting's value, or null
     * @param fingerprint      the fingerprint setting's value, or null ({@code MAVEN_GPG_FINGERPRINT} then)
     * @param keyFileSetting   the key file setting's name, for errors
     */
    public static SigningKey configured(Map<String, String> env, String keyFile, String fingerprint,
                                        String keyFileSetting) throws UserError, IOException {
        String inline = env.get(ENV_KEY);
        boolean hasInline = inline != null && !inline.isBlank();
        boolean hasFile = keyFile != null && !keyFile.isBlank();
        if (hasInline && hasFile) {
            throw new UserError("Both " + ENV_KEY + " and " + keyFileSetting + " name a signing key: unset one of them");
        }
        if (!hasInline && !hasFile) {
            return null;
        }
        String wanted = fingerprint != null && !fingerprint.isBlank() ? fingerprint : env.get(ENV_FINGERPRINT);
        String passphrase = env.get(ENV_PASSPHRASE);
        if (hasInline) {
            return load(inline.getBytes(StandardCharsets.UTF_8), ENV_KEY, wanted, passphrase);
        }
        Path file = Path.of(keyFile);
        if (!Files.isRegularFile(file)) {
            throw new UserError(keyFileSetting + " '" + keyFile + "': no such file. Export the key with gpg "
                    + "--export-secret-keys --armor <fingerprint> > key.asc, or put it in " + ENV_KEY);
        }
        return load(SmallFiles.readBytes(file, MAX_KEY_BYTES, "secret key file"), file.toString(), wanted, passphrase);
    }

    /**
     * The key deploy signs with, as {@link #configured}; without one, deploy fails when signing is {@code required}
     * (before it builds anything), and otherwise warns that it publishes unsigned.
     *
     * @param requiredBy what requires signing, for the error ("publish.signing in python.yaml"), or null when
     *                   nothing does
     */
    public static SigningKey forDeploy(Map<String, String> env, String keyFile, String fingerprint, String requiredBy,
                                       dev.pyruntime.Console console, dev.pyruntime.Vocabulary words)
            throws UserError, IOException {
        SigningKey key = configured(env, keyFile, fingerprint, words.name(dev.pyruntime.Setting.SIGNING_KEY_FILE));
        String how = "put an ASCII-armored secret key in " + ENV_KEY + " (gpg --export-secret-keys --armor <fingerprint>) "
                + "and its passphrase in " + ENV_PASSPHRASE + ", or name a key file with "
                + words.set(dev.pyruntime.Setting.SIGNING_KEY_FILE, "<file>");
        if (key == null && requiredBy != null) {
            throw new UserError("Signing is required (" + requiredBy + "), and deploy has no signing key: " + how);
        }
        if (key == null) {
            console.warn("deploy publishes unsigned: no signing key, so consumers can check only the .sha256 beside each "
                    + "archive, which whoever can write to the repository can replace too. To sign, " + how + "; to "
                    + "make this an error, set publish.signing: required in the manifest or "
                    + words.set(dev.pyruntime.Setting.SIGNING_REQUIRED, "true"));
        } else {
            console.info("deploy signs with " + key.fingerprint() + (key.fingerprint().equals(key.primaryFingerprint())
                    ? "" : " (a subkey of " + key.primaryFingerprint() + ")"));
        }
        return key;
    }

    /**
     * Reads a secret key ring.
     *
     * @param where       where it came from, for errors
     * @param fingerprint the key (primary or subkey) that signs, or null for the default
     * @param passphrase  its passphrase, or null for a key without one
     */
    public static SigningKey load(byte[] keyBytes, String where, String fingerprint, String passphrase)
            throws UserError, IOException {
        PGPSecretKeyRingCollection rings;
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(keyBytes))) {
            rings = new PGPSecretKeyRingCollection(in, new BcKeyFingerprintCalculator());
        } catch (IOException | PGPException | RuntimeException e) {
            throw new UserError(where + " is not an OpenPGP secret key (export it with gpg --export-secret-keys "
                    + "--armor <fingerprint>): " + e.getMessage());
        }
        List<String> found = new ArrayList<>();
        PGPSecretKey chosen = null;
        PGPSecretKeyRing chosenRing = null;
        String wanted = fingerprint == null || fingerprint.isBlank() ? null
                : fingerprint.replace(" ", "").toUpperCase(Locale.ROOT);
        for (PGPSecretKeyRing ring : rings) {
            PGPPublicKey primary = ring.getPublicKey();
            for (PGPSecretKey key : ring) {
                String fpr = SignatureCheck.hex(key.getPublicKey());
                found.add(fpr);
                if (wanted != null && fpr.equals(wanted)) {
                    if (!canSign(primary, key.getPublicKey())) {
                        throw new UserError(where + ": the key " + fpr + " may not sign data (its key flags say so, "
                                + "or it is not bound to its primary key): name a signing key or subkey");
                    }
                    chosen = key;
                    chosenRing = ring;
                } else if (wanted == null && chosen == null && usable(primary, key)) {
                    chosen = key;
                    chosenRing = ring;
                } else if (wanted == null && chosenRing == ring && !key.isMasterKey() && usable(primary, key)
                        && !key.getPublicKey().getCreationTime().before(chosen.getPublicKey().getCreationTime())) {
                    chosen = key; // the newest signing subkey, as gpg picks it
                }
            }
            if (wanted == null && chosen != null) {
                break;
            }
        }
        if (found.isEmpty()) {
            throw new UserError(where + " holds no secret key");
        }
        if (chosen == null) {
            throw new UserError(wanted != null ? where + " has no key " + wanted + "; it has " + String.join(", ", found)
                    + ". Fix " + ENV_FINGERPRINT + " or the fingerprint setting" : where + " has no key that may sign "
                    + "data now (every signing key is revoked, expired, or exported without its secret)");
        }
        PGPPublicKey primary = chosenRing.getPublicKey();
        if (primary.hasRevocation() || chosen.getPublicKey().hasRevocation()) {
            throw new UserError(where + ": the key " + SignatureCheck.hex(chosen.getPublicKey()) + " is revoked; sign "
                    + "with its successor");
        }
        Instant expires = expiry(primary);
        Instant subExpires = chosen.isMasterKey() ? null : expiry(chosen.getPublicKey());
        Instant now = Instant.now();
        if ((expires != null && expires.isBefore(now)) || (subExpires != null && subExpires.isBefore(now))) {
            throw new UserError(where + ": the key " + SignatureCheck.hex(chosen.getPublicKey()) + " expired on "
                    + (subExpires != null && (expires == null || subExpires.isBefore(expires)) ? subExpires : expires)
                    + ": extend it (gpg --quick-set-expire) and export it again");
        }
        PGPPrivateKey privateKey;
        try {
            privateKey = chosen.extractPrivateKey(new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider())
                    .build(passphrase == null ? new char[0] : passphrase.toCharArray()));
        } catch (PGPException e) {
            throw new UserError(where + ": the key " + SignatureCheck.hex(chosen.getPublicKey()) + " cannot be "
                    + "unlocked: " + (passphrase == null || passphrase.isEmpty() ? "it is protected by a passphrase; "
                    + "put it in " + ENV_PASSPHRASE : "the passphrase in " + ENV_PASSPHRASE + " is wrong") + " ("
                    + e.getMessage() + ")");
        }
        if (privateKey == null) {
            throw new UserError(where + ": the key " + SignatureCheck.hex(chosen.getPublicKey()) + " has no secret part "
                    + "(a stub, as gpg exports a key whose secret lives on a card)");
        }
        List<PGPPublicKey> publicKeys = new ArrayList<>();
        chosenRing.getPublicKeys().forEachRemaining(publicKeys::add);
        return new SigningKey(privateKey, chosen.getPublicKey(), new PGPPublicKeyRing(publicKeys));
    }

    /** Whether {@code key} can sign now: a signing key, with its secret, neither revoked nor expired. */
    private static boolean usable(PGPPublicKey primary, PGPSecretKey key) {
        Instant expires = expiry(key.getPublicKey());
        return !key.isPrivateKeyEmpty() && !key.getPublicKey().hasRevocation()
                && (expires == null || expires.isAfter(Instant.now())) && canSign(primary, key.getPublicKey());
    }

    private static boolean canSign(PGPPublicKey primary, PGPPublicKey key) {
        if (!key.isMasterKey()) {
            return SignatureCheck.boundSigningSubkey(primary, key);
        }
        int flags = 0;
        for (Iterator<PGPSignature> it = key.getSignatures(); it.hasNext(); ) {
            PGPSignature sig = it.next();
            if (sig.getHashedSubPackets() != null && sig.getHashedSubPackets().getKeyFlags() != 0
                    && sig.getKeyID() == key.getKeyID() && selfSignatureVerifies(sig, key)) {
                flags |= sig.getHashedSubPackets().getKeyFlags();
            }
        }
        return flags == 0 || (flags & KeyFlags.SIGN_DATA) != 0;
    }

    private static boolean selfSignatureVerifies(PGPSignature sig, PGPPublicKey key) {
        try {
            sig.init(new BcPGPContentVerifierBuilderProvider(), key);
            if (sig.getSignatureType() == PGPSignature.DIRECT_KEY) {
                return sig.verifyCertification(key);
            }
            for (Iterator<String> ids = key.getUserIDs(); ids.hasNext(); ) {
                String id = ids.next();
                sig.init(new BcPGPContentVerifierBuilderProvider(), key);
                if (sig.verifyCertification(id, key)) {
                    return true;
                }
            }
        } catch (PGPException | RuntimeException e) {
            // a self-signature that cannot be checked says nothing
        }
        return false;
    }

    private static Instant expiry(PGPPublicKey key) {
        long seconds = key.getValidSeconds();
        return seconds <= 0 ? null : key.getCreationTime().toInstant().plusSeconds(seconds);
    }

    /** The fingerprint of the key that signs (a subkey's own when a subkey signs), upper-case hex. */
    public String fingerprint() {
        return SignatureCheck.hex(signingKey);
    }

    /** The fingerprint of the primary key: what consumers import and pin. */
    public String primaryFingerprint() {
        return SignatureCheck.hex(certificate.getPublicKey());
    }

    /** The public key (the primary key with its user ids and subkeys), ASCII-armored, as {@code gpg --export -a} writes it. */
    public byte[] publicKeyArmored() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armor = ArmoredOutputStream.builder().clearHeaders().build(out)) {
            certificate.encode(armor, true);
        }
        return out.toByteArray();
    }

    /** A detached, ASCII-armored signature over {@code file}: what {@code gpg --armor --detach-sign} makes. */
    public byte[] sign(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return sign(in);
        }
    }

    /**
     * A detached signature over {@code file}, made in the same read that hashes it: fails unless the bytes signed
     * have the SHA-256 {@code expectedSha256} (the file changed after it was proven).
     */
    public byte[] sign(Path file, String expectedSha256) throws IOException {
        java.security.MessageDigest sha = dev.pyruntime.Sha256.digest();
        byte[] signature;
        try (InputStream in = new java.security.DigestInputStream(Files.newInputStream(file), sha)) {
            signature = sign(in);
        }
        String actual = dev.pyruntime.Sha256.hex(sha);
        if (!actual.equals(expectedSha256)) {
            throw new IOException(file + " changed while it was signed: its sha256 is " + actual + ", not the proven "
                    + expectedSha256);
        }
        return signature;
    }

    /** A detached, ASCII-armored signature over {@code content}. */
    public byte[] sign(byte[] content) throws IOException {
        return sign(new ByteArrayInputStream(content));
    }

    private byte[] sign(InputStream in) throws IOException {
        PGPSignatureGenerator generator = generator(PGPSignature.BINARY_DOCUMENT);
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
            generator.update(buffer, 0, n);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armor = ArmoredOutputStream.builder().clearHeaders().build(out)) {
            generator.generate().encode(armor);
        } catch (PGPException e) {
            throw new IOException("signing failed: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /**
     * {@code text} with a cleartext signature around it (RFC 4880 section 7), as {@code gpg --clearsign} makes it:
     * {@code gpg --verify} checks it, and {@code gpg --decrypt} gives back {@code text}. The text must be lines ending
     * in a newline, without trailing blanks (which the signature would not cover).
     */
    public byte[] clearsign(String text) throws IOException {
        if (!text.endsWith("\n") || text.contains("\r") || text.contains(" \n") || text.contains("\t\n")) {
            throw new IllegalArgumentException("cleartext must be LF-terminated lines without trailing blanks");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        PGPSignatureGenerator generator = generator(PGPSignature.CANONICAL_TEXT_DOCUMENT);
        StringBuilder out = new StringBuilder("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n");
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                generator.update(new byte[]{'\r', '\n'});
            }
            generator.update(lines[i].getBytes(StandardCharsets.UTF_8));
            out.append(lines[i].startsWith("-") ? "- " : "").append(lines[i]).append('\n');
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(out.toString().getBytes(StandardCharsets.UTF_8));
        try (ArmoredOutputStream armor = ArmoredOutputStream.builder().clearHeaders().build(nonClosing(bytes))) {
            generator.generate().encode(armor);
        } catch (PGPException e) {
            throw new IOException("signing failed: " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    private PGPSignatureGenerator generator(int type) throws IOException {
        try {
            PGPSignatureGenerator generator = new PGPSignatureGenerator(
                    new BcPGPContentSignerBuilder(signingKey.getAlgorithm(), HashAlgorithmTags.SHA512), signingKey);
            generator.init(type, privateKey);
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setSignatureCreationTime(false, new Date());
            hashed.setIssuerFingerprint(false, signingKey);
            generator.setHashedSubpackets(hashed.generate());
            return generator;
        } catch (PGPException e) {
            throw new IOException("cannot sign with " + fingerprint() + ": " + e.getMessage(), e);
        }
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
