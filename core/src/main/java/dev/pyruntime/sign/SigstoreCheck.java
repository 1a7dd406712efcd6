package dev.pyruntime.sign;

import dev.pyruntime.UserError;
import dev.sigstore.KeylessVerificationException;
import dev.sigstore.KeylessVerifier;
import dev.sigstore.TrustedRootProvider;
import dev.sigstore.VerificationOptions;
import dev.sigstore.bundle.Bundle;
import dev.sigstore.bundle.BundleParseException;
import dev.sigstore.strings.StringMatcher;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Checks a Sigstore bundle ({@code <file>.sigstore}) over a file, offline, with sigstore-java: the bundle's certificate
 * must chain to a Fulcio CA of the trusted root file, its transparency log entry must be signed by one of its Rekor
 * logs, the signature must cover the file's bytes, and the certificate must name the pinned identity (the release
 * manager's email) issued by the pinned OIDC issuer. Nothing is asked of the network: the trusted root is a file kept
 * beside the manifest, as the OpenPGP keys are.
 */
public final class SigstoreCheck {
    /** A signer's identity as a Fulcio certificate names it: its subject alternative name and its OIDC issuer. */
    public record Identity(String identity, String issuer) {
        private static final String PREFIX = "sigstore ";

        /** The identity as a source's {@code signingKey} carries it: {@code sigstore <identity> <issuer>}. */
        public String encoded() {
            return PREFIX + identity + " " + issuer;
        }

        /** The identity a source's {@code signingKey} names, or null when it names an OpenPGP key. */
        public static Identity decode(String signingKey) {
            if (signingKey == null || !signingKey.startsWith(PREFIX)) {
                return null;
            }
            String[] parts = signingKey.substring(PREFIX.length()).split(" ");
            return parts.length == 2 ? new Identity(parts[0], parts[1]) : null;
        }

        @Override
        public String toString() {
            return identity + " (issuer " + issuer + ")";
        }
    }

    private final Identity identity;
    private final KeylessVerifier verifier;

    private SigstoreCheck(Identity identity, KeylessVerifier verifier) {
        this.identity = identity;
        this.verifier = verifier;
    }

    /** A check of {@code identity}'s bundles against the trusted root in {@code trustedRoot}. */
    public static SigstoreCheck load(Path trustedRoot, Identity identity) throws UserError {
        try {
            return new SigstoreCheck(identity, KeylessVerifier.builder()
                    .trustedRootProvider(TrustedRootProvider.from(trustedRoot)).build());
        } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
            throw new UserError("Sigstore trusted root " + trustedRoot + " cannot be read: " + e.getMessage()
                    + "; put the public-good instance's trusted_root.json there (see keys/README.md)");
        }
    }

    /** Verifies the bundle {@code bundle} over {@code data}. */
    public SignatureCheck.Verified verify(Path data, Path bundle) throws BadSignature, IOException {
        Bundle parsed;
        try {
            parsed = Bundle.from(new StringReader(dev.pyruntime.SmallFiles.readString(bundle, 1 << 20,
                    "Sigstore bundle")));
        } catch (BundleParseException | RuntimeException | IOException e) {
            throw new BadSignature("is not a Sigstore bundle: " + e.getMessage());
        }
        VerificationOptions options = VerificationOptions.builder().addCertificateMatchers(
                VerificationOptions.CertificateMatcher.fulcio()
                        .subjectAlternativeName(StringMatcher.string(identity.identity()))
                        .issuer(StringMatcher.string(identity.issuer())).build()).build();
        try {
            verifier.verify(data, parsed, options);
        } catch (KeylessVerificationException e) {
            throw new BadSignature("does not prove " + data.getFileName() + " was signed by " + identity + ": "
                    + e.getMessage().lines().findFirst().orElse(""));
        } catch (RuntimeException e) {
            throw new BadSignature("cannot be checked: " + e);
        }
        Instant made = parsed.getEntries().isEmpty() ? Instant.EPOCH : parsed.getEntries().get(0)
                .getIntegratedTimeInstant();
        return new SignatureCheck.Verified(identity.toString(), made, null);
    }
}
