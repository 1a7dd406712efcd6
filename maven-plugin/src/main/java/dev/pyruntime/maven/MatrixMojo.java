package dev.pyruntime.maven;

import dev.pyruntime.UserError;
import dev.pyruntime.env.HostInfo;
import dev.pyruntime.plan.Matrix;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Writes the selected targets as a CI matrix (JSON for GitHub Actions' {@code strategy.matrix}) and prints it on
 * standard output, also with {@code -q}: one entry per target the manifest does not exclude, with its id, version,
 * distro, arch and the runner of its arch. Honours
 * {@code python-runtime.targets} and the active profiles' excludes. Inside GitHub Actions ({@code GITHUB_OUTPUT} set),
 * also sets the step output {@code matrix}.
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

    @Override
    protected void run() throws UserError, IOException {
        String json = Matrix.run(new Matrix.Request(manifest.toPath(), targets, profile, matrixFile.toPath(),
                githubOutput == null || githubOutput.isBlank() ? null : Path.of(githubOutput)), console(),
                HostInfo.detect());
        // On standard output itself, not through the log: `mvn -q python-runtime:matrix | jq` gets exactly the JSON.
        System.out.println(json);
        System.out.flush();
    }
}
