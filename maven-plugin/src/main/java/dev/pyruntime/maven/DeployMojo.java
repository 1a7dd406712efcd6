package dev.pyruntime.maven;

import dev.pyruntime.UserError;
import dev.pyruntime.archive.Packager;
import dev.pyruntime.publish.Publisher;
import dev.pyruntime.publish.Repository;
import dev.pyruntime.publish.S3Repository;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/**
 * Publishes each selected target's verified archive, its {@code .sha256} and its metadata to a repository, then adds
 * it to the repository's {@code index.json}. A published archive is never overwritten: the same bytes again are
 * skipped as "already published", other bytes under the same key fail the build. Archives not yet verified in this
 * build are verified (and packed, and compiled) first.
 */
@Mojo(name = "deploy", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true)
public class DeployMojo extends VerifyMojo {

    /**
     * Where to publish: {@code s3://bucket/prefix} (AWS S3 or an S3-compatible store) or {@code file:/path} (a
     * directory, for air-gapped mirrors and tests). Example: {@code -Dpython-runtime.repository=s3://my-bucket/runtimes}.
     */
    @Parameter(property = Properties.REPOSITORY)
    protected String repository;

    /**
     * The {@code <server>} in settings.xml that holds the S3 access key: {@code username} is the access key id,
     * {@code password} the secret (it may be encrypted with {@code mvn --encrypt-password}). Without it, the AWS SDK's
     * default chain is used (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ~/.aws, instance roles). Example:
     * {@code -Dpython-runtime.serverId=runtimes-s3}.
     */
    @Parameter(property = Properties.SERVER_ID)
    protected String serverId;

    /**
     * The endpoint of an S3-compatible store (MinIO, Ceph, s3proxy, ...), or nothing for AWS. Example:
     * {@code -Dpython-runtime.s3.endpoint=https://minio.internal:9000}.
     */
    @Parameter(property = Properties.S3_ENDPOINT)
    protected String s3Endpoint;

    /**
     * The bucket's region; by default the SDK's chain (AWS_REGION, ~/.aws/config), or us-east-1 with an endpoint.
     * Example: {@code -Dpython-runtime.s3.region=eu-west-1}.
     */
    @Parameter(property = Properties.S3_REGION)
    protected String s3Region;

    /**
     * Address the bucket in the path ({@code endpoint/bucket/key}) instead of the host name, as most S3-compatible
     * stores need. Example: {@code -Dpython-runtime.s3.pathStyle=true}.
     */
    @Parameter(property = Properties.S3_PATH_STYLE, defaultValue = "false")
    protected boolean s3PathStyle;

    /** Archives larger than this many bytes are uploaded in parts. Example: {@code -Dpython-runtime.s3.multipartThreshold=67108864}. */
    @Parameter(property = Properties.S3_MULTIPART_THRESHOLD, defaultValue = "67108864")
    protected long s3MultipartThreshold;

    /** The size of each part of a multipart upload, at least 5 MiB. Example: {@code -Dpython-runtime.s3.partSize=16777216}. */
    @Parameter(property = Properties.S3_PART_SIZE, defaultValue = "16777216")
    protected int s3PartSize;

    /**
     * Attempts per S3 request, the first included; transient failures (5xx, throttling, resets, timeouts) are retried
     * with exponential back-off. Example: {@code -Dpython-runtime.s3.maxAttempts=8}.
     */
    @Parameter(property = Properties.S3_MAX_ATTEMPTS, defaultValue = "5")
    protected int s3MaxAttempts;

    /**
     * Print what would be published, and write nothing. Example: {@code -Dpython-runtime.dryRun=true}.
     */
    @Parameter(property = Properties.DRY_RUN, defaultValue = "false")
    protected boolean dryRun;

    @Component
    private SettingsDecrypter settingsDecrypter;

    @Override
    protected void run() throws UserError, IOException {
        // Refuse early, before anything is compiled, when the repository cannot be reached.
        if (repository != null && repository.startsWith("s3://") && session.isOffline()) {
            throw new UserError("Maven is offline (-o): cannot publish to " + repository + "; run without -o, or "
                    + "publish to a file: repository");
        }
        try (Repository repo = Publisher.open(repository, s3Options())) {
            var archives = verified();
            Publisher publisher = new Publisher(console(), repo, "", dryRun, Clock.systemUTC());
            for (Packager.Packaged p : archives) {
                publisher.publish(p.archive());
            }
        }
    }

    private S3Repository.Options s3Options() throws UserError {
        URI endpoint = null;
        if (s3Endpoint != null && !s3Endpoint.isBlank()) {
            try {
                endpoint = URI.create(s3Endpoint.trim());
            } catch (IllegalArgumentException e) {
                throw new UserError(Properties.S3_ENDPOINT + " '" + s3Endpoint + "' is not a URL: " + e.getMessage());
            }
            if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme()) || endpoint.getHost() == null) {
                throw new UserError(Properties.S3_ENDPOINT + " '" + s3Endpoint + "' must be an http(s) URL, such as "
                        + "https://minio.internal:9000");
            }
        }
        return new S3Repository.Options(endpoint, s3Region, s3PathStyle, credentials(), s3MultipartThreshold, s3PartSize,
                s3MaxAttempts);
    }

    /** The access key of the settings.xml server {@link #serverId}, decrypted; null without a server id. */
    private S3Repository.Credentials credentials() throws UserError {
        if (serverId == null || serverId.isBlank()) {
            return null;
        }
        Server server = session.getSettings().getServer(serverId);
        if (server == null) {
            throw new UserError(Properties.SERVER_ID + " '" + serverId + "': settings.xml has no <server> with that id; "
                    + "add <server><id>" + serverId + "</id><username>ACCESS_KEY_ID</username><password>SECRET</password>"
                    + "</server> to ~/.m2/settings.xml");
        }
        SettingsDecryptionResult decrypted = settingsDecrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
        for (SettingsProblem problem : decrypted.getProblems()) {
            if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
                throw new UserError("settings.xml <server> '" + serverId + "': cannot decrypt its password: "
                        + problem.getMessage());
            }
        }
        Server s = decrypted.getServer();
        if (s.getUsername() == null || s.getUsername().isBlank() || s.getPassword() == null || s.getPassword().isBlank()) {
            throw new UserError("settings.xml <server> '" + serverId + "' needs <username> (the access key id) and "
                    + "<password> (the secret access key)");
        }
        return new S3Repository.Credentials(s.getUsername(), s.getPassword());
    }
}
