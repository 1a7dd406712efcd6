package dev.pyruntime.maven;

import dev.pyruntime.UserError;
import dev.pyruntime.env.HostInfo;
import dev.pyruntime.sign.SignatureCheck;
import dev.pyruntime.verify.Verify;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Proves each selected target's archive before it leaves: unpacks it safely into a fresh directory and checks its
 * checksum, layout, byte-code, ELF hardening, libraries, modules and sysconfig against the plan. Prints a table,
 * writes {@code <outputDirectory>/<target-id>/verify-report.json}, and fails listing every failed check. Archives
 * that are missing or stale are packed first (and targets compiled first); an archive already packed from the current
 * build is verified as it is on disk.
 *
 * @since 0.1.0
 */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class VerifyMojo extends AbstractBuildingMojo {
    /**
     * The modification time of every archive entry, when this goal packs a target first: as the {@code package}
     * goal's. Example: {@code -Dpython-runtime.outputTimestamp=2025-01-01T00:00:00Z}.
     */
    @Parameter(property = Properties.OUTPUT_TIMESTAMP, defaultValue = "${project.build.outputTimestamp}")
    protected String outputTimestamp;

    /**
     * An archive file to verify on its own instead of this build's archives: one taken from a repository, say. Nothing
     * is built or packed. Its target comes from the metadata beside it ({@code python-<id>.json}) or else from its file
     * name, and that target alone is planned from this project's manifest (no other target's build container is
     * started). Its {@code .sha256} and metadata are checked when they are
     * beside it; when neither is, that check is skipped and says so. The report goes to
     * {@code <outputDirectory>/verify-archive/<target-id>/verify-report.json}. Run the goal on its own, as in
     * {@code mvn python-runtime:verify -Dpython-runtime.archive=python-3.11.2-debian-12-amd64.tar.zst}, or in the
     * lifecycle ({@code mvn verify -Dpython-runtime.archive=...}), where {@code compile} and {@code package} then
     * build and pack nothing.
     */
    @Parameter(property = Properties.ARCHIVE)
    protected File archive;

    /**
     * Whether the programs of an archive given with {@code python-runtime.archive} may run without a sandbox when there
     * is none here. The interpreter, {@code ldd} and the programs the extension and embedding checks build run in
     * bubblewrap on this machine (in the image's container for a container target): no network, not root, nothing
     * writable but their scratch directory. Where that cannot work (no {@code bubblewrap} installed, no user
     * namespaces), those checks of an archive that is not this build's own are skipped and verify fails, unless this
     * is true: then they run as the user who runs Maven, which only an archive you trust should. This build's own
     * archives run there unconfined anyway, as their build did. Example: {@code -Dpython-runtime.runUnconfined=true}.
     *
     * @since 0.1.0
     */
    @Parameter(property = Properties.RUN_UNCONFINED, defaultValue = "false")
    protected String runUnconfined;

    /**
     * The publisher's OpenPGP public key (their {@code <fingerprint>.asc} or {@code KEYS} file), with which
     * {@code verify -Dpython-runtime.archive=...} checks the archive's detached signature ({@code <archive>.asc} beside
     * it); a file of several keys needs {@code python-runtime.signing.fingerprint} too. Example:
     * {@code -Dpython-runtime.signing.publicKey=keys/0123...CDEF.asc}.
     */
    @Parameter(property = Properties.SIGNING_PUBLIC_KEY)
    protected File signingPublicKey;

    @Override
    protected List<Switch> switches() {
        List<Switch> out = new java.util.ArrayList<>(super.switches());
        out.add(new Switch(Properties.RUN_UNCONFINED, runUnconfined, false));
        return out;
    }

    @Override
    protected void run() throws UserError, IOException {
        if (archive != null) {
            verifyArchive(archive.toPath().toAbsolutePath());
            return;
        }
        verified(outputTimestamp);
    }

    @Override
    protected void skipped() throws MojoExecutionException, MojoFailureException {
        noArchivesWhenSkipped();
    }

    private void verifyArchive(Path file) throws UserError, IOException {
        if (signingPublicKey != null && !signingPublicKey.isFile()) {
            throw new UserError(Properties.SIGNING_PUBLIC_KEY + ": " + signingPublicKey + " is not a file; give the "
                    + "publisher's public key, as published at the repository's root (<fingerprint>.asc)");
        }
        SignatureCheck key = signingPublicKey == null ? null : SignatureCheck.load(signingPublicKey.toPath(),
                signingFingerprint == null || signingFingerprint.isBlank() ? null : signingFingerprint,
                "give the publisher's public key, as published at the repository's root (<fingerprint>.asc)");
        new Verify(console(), HostInfo.detect(), containers()).withPublicKey(key).verifyArchive(request(), file,
                on(Properties.RUN_UNCONFINED));
    }
}
