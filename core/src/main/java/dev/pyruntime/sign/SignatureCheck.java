package dev.pyruntime.sign;

import dev.pyruntime.UserError;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * Checks detached OpenPGP signatures against one pinned key, in the JVM (Bouncy Castle). The key file must hold a
 * key whose fingerprint is the pinned one; a signature counts when it is a binary-document signature over the file,
 * made with that key or one of its signing subkeys (bound to it by a valid binding signature), with a strong digest,
 * while the key was valid. A key that has expired since still verifies the signatures it made before: release
 * tarballs are signed once, when they are released.
 */
public final class SignatureCheck {
    private final String fingerprint;
    private final PGPPublicKey primary;
    private final Map<Long, PGPPublicKey> signers;

    private SignatureCheck(String fingerprint, PGPPublicKey primary, Map<Long, PGPPublicKey> signers) {
        this.fingerprint = fingerprint;
        this.primary = primary;
        this.signers = signers;
    }

    /** The pinned key's fingerprint, upper-case. */
    public String fingerprint() {
        return fingerprint;
    }

    /** What a good signature proved. */
    public record Verified(String signer, Instant made, Instant keyExpires) {
    }

    /** Reads the key with the pinned {@code fingerprint} (40 hex digits) from {@code keyFile}. */
    public static SignatureCheck load(Path keyFile, String fingerprint) throws UserError, IOException {
        return load(keyFile, fingerprint, "put the public key of " + fingerprint.toUpperCase(Locale.ROOT) + " at "
                + keyFile + " (see manifests/keys/README.md)");
    }

    /**
     * Reads the key with {@code fingerprint} from {@code keyFile}; with a null fingerprint, the one primary key the
     * file holds (a file of several keys then needs the fingerprint).
     *
     * @param fix what to do when the file does not hold it, for the error
     */
    public static SignatureCheck load(Path keyFile, String fingerprint, String fix) throws UserError, IOException {
        byte[] bytes;
        try {
            bytes = dev.pyruntime.SmallFiles.readBytes(keyFile, 16 << 20, "OpenPGP key file");
        } catch (IOException e) {
            throw new UserError("Key file " + keyFile + " cannot be read: " + e.getMessage() + "; " + fix);
        }
        return load(bytes, "Key file " + keyFile, fingerprint, fix);
    }

    /**
     * Reads the key with {@code fingerprint} from the key bytes {@code keyBytes} (ASCII-armored or binary); with a null
     * fingerprint, the one primary key they hold.
     *
     * @param where what the bytes are, for errors ("Key file /x/KEYS")
     */
    public static SignatureCheck load(byte[] keyBytes, String where, String fingerprint, String fix) throws UserError {
        PGPPublicKeyRingCollection rings;
        try (InputStream in = PGPUtil.getDecoderStream(new java.io.ByteArrayInputStream(keyBytes))) {
            rings = new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator());
        } catch (IOException | PGPException | RuntimeException e) {
            throw new UserError(where + " is not an OpenPGP public key (ASCII-armored or binary): " + e.getMessage()
                    + "; " + fix);
        }
        if (fingerprint == null) {
            List<String> primaries = new ArrayList<>();
            rings.forEach(ring -> primaries.add(hex(ring.getPublicKey())));
            if (primaries.size() != 1) {
                throw new UserError(where + " holds " + (primaries.isEmpty() ? "no key" : primaries.size() + " keys ("
                        + String.join(", ", primaries) + ")") + ": name the one to check with its fingerprint; " + fix);
            }
            fingerprint = primaries.get(0);
        }
        String wanted = fingerprint.replace(" ", "").toUpperCase(Locale.ROOT);
        List<String> found = new ArrayList<>();
        for (PGPPublicKeyRing ring : rings) {
            PGPPublicKey master = ring.getPublicKey();
            for (PGPPublicKey key : ring) {
                String fpr = hex(key);
                found.add(fpr);
                if (!fpr.equals(wanted)) {
                    continue;
                }
                Map<Long, PGPPublicKey> signers = new LinkedHashMap<>();
                if (key.isMasterKey()) {
                    signers.put(key.getKeyID(), key);
                    for (PGPPublicKey sub : ring) {
                        if (!sub.isMasterKey() && boundSigningSubkey(key, sub)) {
                            signers.put(sub.getKeyID(), sub);
                        }
                    }
                } else if (boundSigningSubkey(master, key)) {
                    signers.put(key.getKeyID(), key);
                } else {
                    throw new UserError(where + ": the subkey " + wanted + " is not bound to its "
                            + "primary key " + hex(master) + " as a signing key; " + fix);
                }
                return new SignatureCheck(wanted, master, signers);
            }
        }
        if (found.isEmpty()) {
            throw new UserError(where + " is not an OpenPGP public key (ASCII-armored or binary): no key in it; " + fix);
        }
        throw new UserError(where + " does not match the pinned fingerprint " + wanted + ": it holds "
                + String.join(", ", found) + "; " + fix);
    }

    /** Verifies the detached signature {@code signature} over {@code data}. */
    public Verified verify(Path data, Path signature) throws BadSignature, IOException {
        return verify(data, readSignature(signature));
    }

    /** Verifies the detached signature {@code signature} (its bytes) over {@code data}. */
    public Verified verify(Path data, byte[] signature) throws BadSignature, IOException {
        return verify(data.getFileName().toString(), () -> Files.newInputStream(data), signature);
    }

    /** Verifies the detached signature {@code signature} over the bytes {@code data} of {@code name}. */
    public Verified verify(String name, byte[] data, byte[] signature) throws BadSignature, IOException {
        return verify(name, () -> new java.io.ByteArrayInputStream(data), signature);
    }

    /** Opens the signed data. */
    @FunctionalInterface
    private interface Data {
        InputStream open() throws IOException;
    }

    private static byte[] readSignature(Path signature) throws BadSignature, IOException {
        try {
            return dev.pyruntime.SmallFiles.readBytes(signature, 1 << 20, "detached signature");
        } catch (IOException e) {
            throw new BadSignature("is not an OpenPGP detached signature: " + e.getMessage());
        }
    }

    /**
     * Verifies a cleartext-signed message (RFC 4880 section 7), as {@code gpg --verify} does: the signature over its
     * text, canonicalized (lines joined with CR LF, trailing blanks dropped, dash-escapes undone). Returns the text, as
     * {@code gpg --decrypt} gives it back.
     */
    public String verifyCleartext(String name, String signed) throws BadSignature, IOException {
        int body = signed.indexOf("\n\n");
        int end = signed.indexOf("\n-----BEGIN PGP SIGNATURE-----\n");
        if (!signed.startsWith("-----BEGIN PGP SIGNED MESSAGE-----\n") || body < 0 || end < body) {
            throw new BadSignature("is not a cleartext-signed message");
        }
        StringBuilder canonical = new StringBuilder();
        StringBuilder text = new StringBuilder();
        String[] lines = signed.substring(body + 2, end).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].startsWith("- ") ? lines[i].substring(2) : lines[i];
            canonical.append(i == 0 ? "" : "\r\n").append(line.replaceAll("[ \t\r]+$", ""));
            text.append(line).append('\n');
        }
        byte[] signedText = canonical.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        verify(name, () -> new java.io.ByteArrayInputStream(signedText),
                signed.substring(end + 1).getBytes(java.nio.charset.StandardCharsets.UTF_8), PGPSignature.CANONICAL_TEXT_DOCUMENT);
        return text.toString();
    }

    private Verified verify(String name, Data data, byte[] signature) throws BadSignature, IOException {
        return verify(name, data, signature, PGPSignature.BINARY_DOCUMENT);
    }

    private Verified verify(String name, Data data, byte[] signature, int type) throws BadSignature, IOException {
        List<PGPSignature> signatures = read(signature);
        List<String> issuers = new ArrayList<>();
        for (PGPSignature sig : signatures) {
            PGPPublicKey key = signers.get(sig.getKeyID());
            if (key == null) {
                issuers.add(String.format("%016X", sig.getKeyID()));
                continue;
            }
            return check(sig, key, name, data, type);
        }
        throw new BadSignature("made by key " + String.join(", ", issuers) + ", not by " + fingerprint
                + " or one of its signing subkeys");
    }

    private Verified check(PGPSignature sig, PGPPublicKey key, String name, Data data, int type)
            throws BadSignature, IOException {
        if (sig.getSignatureType() != type) {
            throw new BadSignature(String.format("is of type 0x%02X, not over a %s", sig.getSignatureType(),
                    type == PGPSignature.BINARY_DOCUMENT ? "binary document" : "canonical text"));
        }
        int hash = sig.getHashAlgorithm();
        if (hash == HashAlgorithmTags.MD5 || hash == HashAlgorithmTags.SHA1 || hash == HashAlgorithmTags.RIPEMD160) {
            throw new BadSignature("uses a weak digest (OpenPGP hash algorithm " + hash + ")");
        }
        try {
            sig.init(new BcPGPContentVerifierBuilderProvider(), key);
        } catch (PGPException e) {
            throw new BadSignature("cannot be checked: " + e.getMessage());
        }
        try (InputStream in = data.open()) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sig.update(buffer, 0, n);
            }
        }
        boolean good;
        try {
            good = sig.verify();
        } catch (PGPException e) {
            throw new BadSignature("cannot be checked: " + e.getMessage());
        }
        if (!good) {
            throw new BadSignature("does not match " + name + ": BAD signature (the file or the "
                    + "signature was altered, or they belong to different releases)");
        }
        Instant made = sig.getCreationTime().toInstant();
        if (made.isBefore(key.getCreationTime().toInstant())) {
            throw new BadSignature("claims to be made on " + made + ", before the key existed ("
                    + key.getCreationTime().toInstant() + ")");
        }
        Instant expires = expiry(primary);
        Instant subExpires = key == primary ? null : expiry(key);
        if (subExpires != null && (expires == null || subExpires.isBefore(expires))) {
            expires = subExpires;
        }
        if (expires != null && made.isAfter(expires)) {
            throw new BadSignature("made on " + made + ", after the key expired on " + expires);
        }
        if (primary.hasRevocation() || key.hasRevocation()) {
            throw new BadSignature("is by a revoked key (" + fingerprint + ")");
        }
        return new Verified(hex(key), made, expires);
    }

    private static List<PGPSignature> read(byte[] signature) throws BadSignature {
        try (InputStream in = PGPUtil.getDecoderStream(new java.io.ByteArrayInputStream(signature))) {
            Object object = new BcPGPObjectFactory(in).nextObject();
            if (object instanceof PGPCompressedData compressed) {
                object = new BcPGPObjectFactory(compressed.getDataStream()).nextObject();
            }
            if (object instanceof PGPSignatureList list && !list.isEmpty()) {
                List<PGPSignature> all = new ArrayList<>();
                list.forEach(all::add);
                return all;
            }
            throw new BadSignature("is not an OpenPGP detached signature");
        } catch (IOException | PGPException | RuntimeException e) {
            throw new BadSignature("is not an OpenPGP detached signature: " + e.getMessage());
        }
    }

    /** A subkey counts when the primary key's binding signature over it verifies and allows signing data. */
    static boolean boundSigningSubkey(PGPPublicKey primary, PGPPublicKey sub) {
        Iterator<PGPSignature> bindings = sub.getSignaturesOfType(PGPSignature.SUBKEY_BINDING);
        while (bindings.hasNext()) {
            PGPSignature binding = bindings.next();
            try {
                binding.init(new BcPGPContentVerifierBuilderProvider(), primary);
                if (binding.verifyCertification(primary, sub)) {
                    int flags = binding.getHashedSubPackets() == null ? 0 : binding.getHashedSubPackets().getKeyFlags();
                    return flags == 0 || (flags & KeyFlags.SIGN_DATA) != 0;
                }
            } catch (PGPException e) {
                // a binding that cannot be checked does not bind
            }
        }
        return false;
    }

    private static Instant expiry(PGPPublicKey key) {
        long seconds = key.getValidSeconds();
        return seconds <= 0 ? null : key.getCreationTime().toInstant().plusSeconds(seconds);
    }

    public static String hex(PGPPublicKey key) {
        return HexFormat.of().withUpperCase().formatHex(key.getFingerprint());
    }
}
