package dev.pyruntime.archive;

import dev.pyruntime.Console;
import dev.pyruntime.compile.BuildInfo;
import dev.pyruntime.compile.Compile;
import dev.pyruntime.compile.DebugSymbols;
import dev.pyruntime.compile.Progress;
import dev.pyruntime.plan.BuildPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code package} step: packs a compiled target's staging tree into {@code <outputDirectory>/<archive name>}
 * (see {@link TarZst}), then writes its {@code .sha256} and its metadata JSON. Each file is written to a temp file and
 * renamed; the old metadata is removed first, so metadata never describes an archive that is not there.
 */
public final class Pack {
    private final Console console;
    private final Long entryTime;
    private final Provenance.ManifestOrigin manifest;

    /**
     * @param entryTime the archive entries' modification time in epoch seconds (from {@code project.build.outputTimestamp}
     *                  or SOURCE_DATE_EPOCH), or null for the build's own SOURCE_DATE_EPOCH (the release's date)
     */
    public Pack(Console console, Long entryTime) {
        this(console, entryTime, null);
    }

    /** @param manifest where the manifest the plans came from lives, for the provenance; or null */
    public Pack(Console console, Long entryTime, Provenance.ManifestOrigin manifest) {
        this.console = console;
        this.entryTime = entryTime;
        this.manifest = manifest;
    }

    /** An archive and the files beside it. */
    public record Packaged(BuildPlan plan, Path workDir, Path archive, Path sha256File, Path metadata) {
    }

    /**
     * Packs each compiled target; unless {@code repack}, an archive already on disk that is up to date (see
     * {@link #existing}) is taken as it is.
     */
    public List<Packaged> packAll(List<Compile.Compiled> compiled, Path outputDirectory,
                                            boolean repack) throws IOException {
        List<Packaged> out = new ArrayList<>();
        for (Compile.Compiled c : compiled) {
            Packaged existing = repack ? null : existing(c, outputDirectory);
            if (existing != null) {
                console.info(c.plan().target().id() + ": " + existing.archive().getFileName() + " is up to date");
            }
            out.add(existing != null ? existing : pack(c, outputDirectory));
        }
        return out;
    }

    public static Path archiveFor(BuildPlan plan, Path outputDirectory) {
        return outputDirectory.toAbsolutePath().resolve(plan.archive().name());
    }

    public Packaged pack(Compile.Compiled compiled, Path outputDirectory) throws IOException {
        BuildPlan plan = compiled.plan();
        BuildInfo info = BuildInfo.read(compiled.workDir());
        long mtime = entryTime(info);
        Path archive = archiveFor(plan, outputDirectory);
        Path metadata = ArchiveMetadata.fileFor(archive);
        Files.deleteIfExists(metadata);
        Files.deleteIfExists(Sbom.fileFor(archive));
        Files.deleteIfExists(Provenance.fileFor(archive));
        long start = System.nanoTime();
        TarZst.Written w = TarZst.write(compiled.staging(), archive,
                new TarZst.Settings(FileTime.from(mtime, java.util.concurrent.TimeUnit.SECONDS),
                        plan.archive().zstdLevel(), plan.archive().windowLog()));
        Sha256Sidecar.write(archive, w.sha256());
        Duration packed = Duration.ofNanos(System.nanoTime() - start);
        long symbolsStart = System.nanoTime();
        ArchiveMetadata.Symbols symbols = symbols(plan, compiled.workDir(), archive, mtime);
        Duration symbolsPacked = Duration.ofNanos(System.nanoTime() - symbolsStart);
        ArchiveMetadata.of(plan, w, info.sourceDateEpoch(), mtime, info.toolchain(), info.contents(), symbols)
                .write(metadata, plan.buildDir());
        supplyChain(plan, archive, metadata);
        console.info(String.format(Locale.ROOT, "%s: packed %s: %d entries, %.1f MB, zstd -%d --long=%d, in %s; sha256 %s",
                plan.target().id(), archive.getFileName(), w.entries(), w.size() / 1e6, plan.archive().zstdLevel(),
                plan.archive().windowLog(), Progress.format(packed), w.sha256()));
        if (symbols != null) {
            console.info(String.format(Locale.ROOT, "%s: packed %s: %d debug files, %.1f MB, in %s; sha256 %s",
                    plan.target().id(), symbols.archive(), symbols.buildIds().size(), symbols.size() / 1e6,
                    Progress.format(symbolsPacked), symbols.sha256()));
        }
        return new Packaged(plan, compiled.workDir(), archive, Sha256Sidecar.fileFor(archive), metadata);
    }

    /**
     * Packs the compiled debug files ({@link DebugSymbols}) into the plan's symbols archive beside {@code archive}, with
     * its {@code .sha256}, as reproducibly as the runtime: the same entry time and compression. Null when the plan
     * ships its ELF files as the link left them (an older symbols archive of the same name is removed).
     */
    private static ArchiveMetadata.Symbols symbols(BuildPlan plan, Path workDir, Path archive, long mtime)
            throws IOException {
        String name = plan.archive().symbols();
        if (name == null) {
            // One packed while the manifest separated the symbols: not this archive's any more.
            Path stale = archive.resolveSibling(dev.pyruntime.manifest.Manifest.Archive.symbolsName(
                    archive.getFileName().toString()));
            Files.deleteIfExists(stale);
            Files.deleteIfExists(Sha256Sidecar.fileFor(stale));
            return null;
        }
        Path dir = DebugSymbols.dir(workDir);
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + " is missing: the compile step writes it when archive.symbols is 'separate'; "
                    + "compile again");
        }
        Path file = archive.resolveSibling(name);
        TarZst.Written w = TarZst.write(dir, file, new TarZst.Settings(FileTime.from(mtime,
                java.util.concurrent.TimeUnit.SECONDS), plan.archive().zstdLevel(), plan.archive().windowLog()));
        Sha256Sidecar.write(file, w.sha256());
        List<String> ids = new ArrayList<>();
        try (var files = Files.walk(dir.resolve(".build-id"))) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                String f = p.getFileName().toString();
                ids.add(p.getParent().getFileName() + f.substring(0, f.length() - ".debug".length()));
            }
        }
        return new ArchiveMetadata.Symbols(name, w.sha256(), w.size(), List.copyOf(ids));
    }

    /**
     * The archive already packed from this build with these settings, or null: its metadata names the same plan and
     * entry time and is newer than the build. (Whether its bytes are intact is for {@code verify} to say.)
     */
    public Packaged existing(Compile.Compiled compiled, Path outputDirectory) throws IOException {
        BuildPlan plan = compiled.plan();
        Path archive = archiveFor(plan, outputDirectory);
        Path metadata = ArchiveMetadata.fileFor(archive);
        Path marker = compiled.workDir().resolve(BuildInfo.FILE);
        if (compiled.built() || !Files.isRegularFile(archive) || !Files.isRegularFile(metadata) || !Files.isRegularFile(marker)
                || Files.getLastModifiedTime(metadata).compareTo(Files.getLastModifiedTime(marker)) < 0) {
            return null;
        }
        ArchiveMetadata meta;
        try {
            meta = ArchiveMetadata.read(metadata);
        } catch (IOException e) {
            return null;
        }
        if (!plan.fingerprint().equals(meta.planFingerprint()) || meta.entryTime() != entryTime(BuildInfo.read(compiled.workDir()))) {
            return null;
        }
        if (meta.symbols() != null && !Files.isRegularFile(archive.resolveSibling(meta.symbols().archive()))) {
            return null;
        }
        if (!Files.isRegularFile(Sbom.fileFor(archive)) || !Files.isRegularFile(Provenance.fileFor(archive))) {
            // Packed by a version before SBOMs and provenance: both are made from its metadata.
            supplyChain(plan, archive, metadata);
        }
        return new Packaged(plan, compiled.workDir(), archive, Sha256Sidecar.fileFor(archive), metadata);
    }

    /**
     * Writes the archive's SBOM and provenance beside it, from its metadata: after the metadata, so that the
     * provenance names the SBOM's and the metadata's digests.
     */
    private void supplyChain(BuildPlan plan, Path archive, Path metadata) throws IOException {
        ArchiveMetadata meta = ArchiveMetadata.read(metadata);
        Path sbom = Sbom.write(archive, meta, plan.source().urls());
        Provenance.write(archive, plan, meta, manifest, List.of(metadata, sbom));
    }

    private long entryTime(BuildInfo info) {
        return entryTime != null ? entryTime : info.sourceDateEpoch();
    }
}
