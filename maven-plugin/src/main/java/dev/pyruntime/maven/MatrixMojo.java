package dev.pyruntime.maven;

import dev.pyruntime.UserError;
import dev.pyruntime.env.HostInfo;
import dev.pyruntime.plan.Matrix;
import dev.pyruntime.publish.Publisher;
import dev.pyruntime.publish.Repository;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Writes the selected targets as a CI matrix (JSON for GitHub Actions' {@code strategy.matrix}) and prints it on
 * standard output, also with {@code -q}: one entry per target the manifest does not exclude, with its id, version,
 * distro, arch and the runner of its arch. Honours
 * {@code python-runtime.targets} and the active profiles' excludes. Inside GitHub Actions ({@code GITHUB_OUTPUT} set),
 * also sets the step output {@code matrix}. With a {@code python-runtime.repository}, it asks the repository (one read
 * of its index) and leaves out the targets already published there, each named in the log, unless
 * {@code python-runtime.rebuildPublished}: a published target costs no CI job.
 *
 * @since 0.1.0
 */
@Mojo(name = "matrix", threadSafe = true)
public class MatrixMojo extends AbstractRuntimeMojo {

    /**
     * Where the matrix JSON is written. Example: {@code -Dpython-runtime.matrixFile=target/matrix.json}.
     */
    @Parameter(property = Properties.MATRIX_FILE, defaultValue = "${project.build.directory}/python-runtime/matrix.json")
    protected File matrixFile;

    /**
     * A GitHub Actions step-output file to append {@code matrix=<json>} to; by default {@code $GITHUB_OUTPUT}, which
     * Actions sets. Example: {@code -Dpython-runtime.githubOutput=/tmp/out}.
     */
    @Parameter(property = Properties.GITHUB_OUTPUT, defaultValue = "${env.GITHUB_OUTPUT}")
    protected String githubOutput;

    // The repository, read as the building goals read it (see AbstractBuildingMojo), without what only uploads need.

    /**
     * Where the targets publish to: {@code s3://bucket/prefix} or {@code file:/path}. The targets whose archive its
     * index lists get no entry; unset, every selected target does. Example:
     * {@code -Dpython-runtime.repository=s3://my-bucket/runtimes}.
     */
    @Parameter(property = Properties.REPOSITORY)
    protected String repository;

    /**
     * The {@code <server>} in settings.xml that holds the S3 access key ({@code username}: the key id, {@code password}:
     * the secret); without it, the AWS SDK's default chain. Example: {@code -Dpython-runtime.serverId=runtimes-s3}.
     */
    @Parameter(property = Properties.SERVER_ID)
    protected String serverId;

    /**
     * The endpoint of an S3-compatible store, or nothing for AWS. Example:
     * {@code -Dpython-runtime.s3.endpoint=https://minio.internal:9000}.
     */
    @Parameter(property = Properties.S3_ENDPOINT)
    protected String s3Endpoint;

    /** The bucket's region; by default the SDK's chain. Example: {@code -Dpython-runtime.s3.region=eu-west-1}. */
    @Parameter(property = Properties.S3_REGION)
    protected String s3Region;

    /** Address the bucket in the path instead of the host name. Example: {@code -Dpython-runtime.s3.pathStyle=true}. */
    @Parameter(property = Properties.S3_PATH_STYLE, defaultValue = "false")
    protected String s3PathStyle;

    /** Attempts per S3 request, the first included. Example: {@code -Dpython-runtime.s3.maxAttempts=8}. */
    @Parameter(property = Properties.S3_MAX_ATTEMPTS, defaultValue = "5")
    protected String s3MaxAttempts;

    /**
     * Give the targets already published a job anyway (their deploy builds them again and compares; it never
     * overwrites). Example: {@code -Dpython-runtime.rebuildPublished=true}.
     */
    @Parameter(property = Properties.REBUILD_PUBLISHED, defaultValue = "false")
    protected String rebuildPublished;

    @Component
    private SettingsDecrypter settingsDecrypter;

    @Override
    protected List<Switch> switches() {
        List<Switch> out = new ArrayList<>(super.switches());
        out.add(new Switch(Properties.S3_PATH_STYLE, s3PathStyle, false));
        out.add(new Switch(Properties.REBUILD_PUBLISHED, rebuildPublished, false));
        return out;
    }

    @Override
    protected void run() throws UserError, IOException {
        Matrix.Request request = new Matrix.Request(manifest.toPath(), targets, profile, matrixFile.toPath(),
                githubOutput == null || githubOutput.isBlank() ? null : Path.of(githubOutput));
        String json;
        if (repository == null || repository.isBlank()) {
            console().info("No " + Properties.REPOSITORY + ": every selected target gets a job");
            json = Matrix.run(request, console(), HostInfo.detect());
        } else if (session.isOffline() && !repository.startsWith("file:")) {
            console().warn("Maven is offline (-o): " + repository + " not asked; every selected target gets a job");
            json = Matrix.run(request, console(), HostInfo.detect());
        } else {
            try (Repository repo = new RepositoryAccess(repository, s3Endpoint, s3Region, on(Properties.S3_PATH_STYLE),
                    null, null, s3MaxAttempts, serverId).open(new MavenSettings(session.getSettings(), settingsDecrypter))) {
                json = Matrix.run(request, new Matrix.Published(new Publisher(console(), repo, "", true,
                        Clock.systemUTC()), on(Properties.REBUILD_PUBLISHED), Properties.REBUILD_PUBLISHED), console(),
                        HostInfo.detect());
            }
        }
        // On standard output itself, not through the log: `mvn -q python-runtime:matrix | jq` gets exactly the JSON.
        System.out.println(json);
        System.out.flush();
    }
}
