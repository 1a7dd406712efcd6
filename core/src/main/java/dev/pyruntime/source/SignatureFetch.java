package dev.pyruntime.source;

import dev.pyruntime.sign.BadSignature;
import dev.pyruntime.sign.SignatureCheck;
import dev.pyruntime.sign.SigstoreCheck;
import dev.pyruntime.Setting;
import dev.pyruntime.Console;
import dev.pyruntime.UserError;
import dev.pyruntime.plan.BuildPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The signature half of fetching a source. When the source declares a signature and the public key of its pinned
 * fingerprint is at {@code <keysDir>/<FINGERPRINT>.asc}, the signature is taken from the cache
 * ({@code <cache>/<sha256>/<signature>}) or fetched from the source's places, checked with {@link SignatureCheck},
 * and cached once it verifies; it is checked again on every use. A signature that does not verify is never cached
 * and the next place is tried. Without a key file, or without a pinned key, it warns once and checks nothing.
 * Called with the entry's lock held.
 */
final class SignatureFetch {
    /** The suffix of a Sigstore bundle, as python.org names them ({@code Python-3.14.6.tar.xz.sigstore}). */
    static final String SIGSTORE = ".sigstore";
    /** The Sigstore trusted root, in the keys directory beside the manifest. */
    static final String TRUSTED_ROOT = "sigstore-trusted-root.json";

    /** A signature check over a file: an OpenPGP key's or a Sigstore identity's. */
    @FunctionalInterface
    private interface Checker {
        SignatureCheck.Verified verify(Path data, Path signature) throws BadSignature, IOException;
    }

    private final SourceCache cache;
    private final Path keysDir;
    private final boolean offline;
    private final AptSources apt;
    private final Console console;
    private final Transfer transfer;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private final boolean skip;

    SignatureFetch(SourceCache cache, Path keysDir, boolean offline, AptSources apt, Console console,
                   Transfer transfer, boolean skip) {
        this.skip = skip;
        this.cache = cache;
        this.keysDir = keysDir;
        this.offline = offline;
        this.apt = apt;
        this.console = console;
        this.transfer = transfer;
    }

    /** Checks {@code tarball} (the verified cache entry of {@code source}) against its declared signature, if any. */
    void verify(BuildPlan.SourceInfo source, String sha256, Path tarball, String prefix)
            throws UserError, IOException {
        String name = source.signature();
        if (name == null) {
            return;
        }
        if (skip) {
            warnOnce("skip:" + name, prefix + "signature " + name + " not checked (" + console.words().name(Setting.SKIP_SIGNATURES) + "): only "
                    + "its pinned sha256 vouches for " + source.file());
            return;
        }
        boolean sigstore = name.endsWith(SIGSTORE);
        SigstoreCheck.Identity identity = SigstoreCheck.Identity.decode(source.signingKey());
        if (source.signingKey() == null) {
            warnOnce("no-key:" + name, prefix + "signature " + name + " not checked: the manifest pins no "
                    + (sigstore ? "Sigstore identity" : "OpenPGP key") + " for this version's series (source.signingKeys)");
            return;
        }
        if (sigstore != (identity != null)) {
            throw new UserError(prefix + "signature " + name + " is " + (sigstore ? "a Sigstore bundle" : "an OpenPGP "
                    + "signature") + ", but source.signingKeys pins " + (sigstore ? "an OpenPGP key" : "a Sigstore "
                    + "identity") + " for this version's series: pin " + (sigstore ? "{ identity: ..., issuer: ... }"
                    : "the release manager's 40-hex-digit fingerprint") + ", or declare the other kind of signature");
        }
        String fingerprint;
        Checker check;
        if (sigstore) {
            fingerprint = identity.toString();
            Path trustedRoot = keysDir.resolve(TRUSTED_ROOT);
            if (!Files.isRegularFile(trustedRoot)) {
                warnOnce("root:" + trustedRoot, "signature not checked: put Sigstore's trusted root "
                        + "(trusted_root.json of its public-good instance) at " + trustedRoot);
                return;
            }
            check = SigstoreCheck.load(trustedRoot, identity)::verify;
        } else {
            fingerprint = source.signingKey().toUpperCase(Locale.ROOT);
            Path keyFile = keysDir.resolve(fingerprint + ".asc");
            if (!Files.isRegularFile(keyFile)) {
                warnOnce("key:" + fingerprint, "signature not checked: put the public key of " + fingerprint + " at "
                        + keyFile);
                return;
            }
            check = SignatureCheck.load(keyFile, fingerprint)::verify;
        }
        Path entry = cache.entry(sha256, name);
        List<String> tried = new ArrayList<>();
        boolean bad = false;
        SourceFetcher.notAFile(entry, prefix);
        if (Files.isRegularFile(entry)) {
            try {
                verified(prefix, check.verify(tarball, entry));
                return;
            } catch (BadSignature e) {
                Files.delete(entry);
                console.warn(prefix + "cached signature " + entry + " " + e.getMessage() + ": deleted it, "
                        + "fetching it again");
                tried.add("cache " + entry + ": signature " + e.getMessage() + " (deleted)");
                bad = true;
            }
        } else {
            tried.add("cache " + entry + ": not there");
        }
        if (offline) {
            throw new UserError("Signature " + name + " of " + source.file() + " is not in the source cache and "
                    + console.words().offline() + ", so it cannot be checked.\n  expected at: " + entry + "\nRun the build once "
                    + "online, or copy the signature to " + entry + " by hand.");
        }
        for (Place place : Place.of(source.urls(), source.file(), name, apt)) {
            if (place.problem() != null) {
                tried.add(place.label() + ": " + place.problem());
                continue;
            }
            Path temp = cache.newTemp(sha256, name);
            try {
                transfer.copy(place.uri(), temp, Transfer.MAX_SIGNATURE_BYTES);
                SignatureCheck.Verified verified = check.verify(tarball, temp);
                cache.commit(temp, entry);
                verified(prefix, verified);
                return;
            } catch (FetchFailed e) {
                console.warn(prefix + place.label() + ": " + e.getMessage());
                tried.add(place.label() + ": " + e.getMessage());
            } catch (BadSignature e) {
                console.warn(prefix + place.label() + ": signature " + e.getMessage());
                tried.add(place.label() + ": signature " + e.getMessage());
                bad = true;
            } finally {
                Files.deleteIfExists(temp);
            }
        }
        String fix = bad
                ? "How to fix: " + source.file() + " matches its pinned sha256 but no signature proves it was "
                + "released by " + fingerprint + ": check the version's sha256 in the manifest against the release "
                + "announcement, and that " + fingerprint + " is the series' release manager."
                : "How to fix: put the signature at " + entry + " by hand, or add a mirror that has it to "
                + "source.mirrors in the manifest; where no place you can reach has it, build without checking "
                + "signatures (skipSignatures), and only the pinned sha256 vouches for " + source.file() + ".";
        throw new UserError("Cannot verify source " + source.file() + " with signature " + name + " by "
                + fingerprint + "; tried:\n" + SourceFetcher.list(tried) + fix);
    }

    private void verified(String prefix, SignatureCheck.Verified verified) {
        String made = verified.made().toString().substring(0, 10);
        String expiry = verified.keyExpires() != null && verified.keyExpires().isBefore(Instant.now())
                ? "; the key has expired since, on " + verified.keyExpires().toString().substring(0, 10) : "";
        console.info(prefix + "signature verified (" + (verified.signer().contains("@") ? "" : "key ")
                + verified.signer() + ", made " + made + expiry + ")");
    }

    private void warnOnce(String key, String line) {
        if (warned.add(key)) {
            console.warn(line);
        }
    }
}
