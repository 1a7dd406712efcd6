package dev.pyruntime.maven;

import dev.pyruntime.AtomicFiles;
import dev.pyruntime.UserError;
import dev.pyruntime.env.HostInfo;
import dev.pyruntime.manifest.Manifest;
import dev.pyruntime.manifest.ManifestLoader;
import dev.pyruntime.manifest.Problem;
import dev.pyruntime.plan.Matrix;
import dev.pyruntime.plan.Planner;
import dev.pyruntime.plan.TargetSelector;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
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
        Manifest m = ManifestLoader.load(manifest.toPath());
        for (Problem w : m.warnings()) {
            console().warn(w.toString());
        }
        List<Matrix.Entry> entries = Matrix.of(m, TargetSelector.parseSelection(targets, MavenVocabulary.INSTANCE),
                Planner.activeProfiles(m, profile, MavenVocabulary.INSTANCE), HostInfo.detect(), MavenVocabulary.INSTANCE);
        String json = Matrix.toJson(entries);
        Path file = matrixFile.toPath();
        Files.createDirectories(file.toAbsolutePath().getParent());
        AtomicFiles.writeString(file, json + "\n");
        console().info("Matrix: " + entries.size() + " target" + (entries.size() == 1 ? "" : "s") + " -> " + file);
        // On standard output itself, not through the log: `mvn -q python-runtime:matrix | jq` gets exactly the JSON.
        System.out.println(json);
        System.out.flush();
        if (githubOutput != null && !githubOutput.isBlank()) {
            Path out = Path.of(githubOutput).toAbsolutePath();
            Files.createDirectories(out.getParent());
            Files.writeString(out, "matrix=" + json + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            console().info("Step output 'matrix' appended to " + githubOutput);
        }
    }
}
