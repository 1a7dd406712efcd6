package dev.pyruntime.maven;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pyruntime.AtomicFiles;
import dev.pyruntime.UserError;
import dev.pyruntime.archive.EntryTime;
import dev.pyruntime.archive.Packager;
import dev.pyruntime.compile.Compile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.MavenProjectHelper;

/**
 * Packs each selected target as a reproducible {@code .tar.zst} in the output directory, named by the manifest's
 * archive template, with a {@code .sha256} and a metadata JSON beside it, and attaches it to the project (type
 * {@code tar.zst}, classifier = the target id) so {@code install} and {@code deploy} carry it too. Targets that are
 * not compiled or are stale are compiled first.
 *
 * @since 0.1.0
 */
@Mojo(name = "package", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class PackageMojo extends AbstractBuildingMojo {

    /**
     * The modification time of every archive entry: ISO-8601 with an offset, or seconds since the epoch. Defaults to
     * Maven's reproducible-builds property; when that is unset, SOURCE_DATE_EPOCH, and then the build's own date (the
     * CPython release's). Example: {@code -Dpython-runtime.outputTimestamp=2025-01-01T00:00:00Z}.
     */
    @Parameter(property = Properties.OUTPUT_TIMESTAMP, defaultValue = "${project.build.outputTimestamp}")
    protected String outputTimestamp;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    protected MavenProject project;

    @Component
    protected MavenProjectHelper projectHelper;

    /** One entry of {@code archives.json}, the {@code python-runtime} packaging's main artifact. */
    record PackedArchive(String target, String archive, String metadata) {
    }

    record PackedArchives(List<PackedArchive> archives) {
    }

    @Override
    protected void run() throws UserError, IOException {
        if (onlyVerifyingAnArchive("pack")) {
            noArchives();
            return;
        }
        packaged(true);
    }

    /**
     * A skipped package in the {@code python-runtime} packaging still gives the project its main artifact, an
     * {@code archives.json} that lists nothing, so {@code install} and {@code deploy} have a file to carry.
     */
    @Override
    protected void skipped() throws MojoExecutionException {
        try {
            noArchives();
        } catch (IOException e) {
            throw new MojoExecutionException("cannot write " + outputDirectory + "/archives.json: " + e, e);
        }
    }

    private void noArchives() throws IOException {
        if (PythonRuntimePackaging.PACKAGING.equals(project.getPackaging()) && project.getArtifact().getFile() == null) {
            writeArchivesJson(List.of());
        }
    }

    /**
     * The selected targets' archives: packed in this build (once, shared through the plugin context), or, when
     * {@code repack} is false and nothing changed since, the ones already on disk.
     */
    protected List<Packager.Packaged> packaged(boolean repack) throws UserError, IOException {
        return oncePerBuild(Packager.Packaged.class.getName(), () -> pack(repack));
    }

    private List<Packager.Packaged> pack(boolean repack) throws UserError, IOException {
        Packager packager = new Packager(console(), EntryTime.resolve(outputTimestamp, System.getenv("SOURCE_DATE_EPOCH")));
        List<Packager.Packaged> out = new ArrayList<>();
        for (Compile.Compiled c : compiled()) {
            Packager.Packaged existing = repack ? null : packager.existing(c, outputDirectory.toPath());
            if (existing != null) {
                getLog().info(c.plan().target().id() + ": " + existing.archive().getFileName() + " is up to date");
            }
            Packager.Packaged p = existing != null ? existing : packager.pack(c, outputDirectory.toPath());
            projectHelper.attachArtifact(project, "tar.zst", p.plan().target().id(), p.archive().toFile());
            out.add(p);
        }
        if (PythonRuntimePackaging.PACKAGING.equals(project.getPackaging())) {
            writeArchivesJson(out);
        }
        return out;
    }

    /** The packaging's main artifact: what this build packed, so install and deploy have a file to carry. */
    private void writeArchivesJson(List<Packager.Packaged> packed) throws IOException {
        Path list = outputDirectory.toPath().resolve("archives.json");
        Files.createDirectories(outputDirectory.toPath());
        List<PackedArchive> entries = new ArrayList<>();
        for (Packager.Packaged p : packed) {
            entries.add(new PackedArchive(p.plan().target().id(), p.archive().getFileName().toString(),
                    p.metadata().getFileName().toString()));
        }
        AtomicFiles.writeString(list, new ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(new PackedArchives(entries)) + "\n");
        project.getArtifact().setFile(list.toFile());
    }
}
