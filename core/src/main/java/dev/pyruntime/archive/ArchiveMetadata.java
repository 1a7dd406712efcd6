package dev.pyruntime.archive;

import dev.pyruntime.SmallFiles;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.pyruntime.AtomicFiles;
import dev.pyruntime.compile.RuntimeContents;
import dev.pyruntime.flags.Flag;
import dev.pyruntime.plan.BuildPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Provenance of one archive, written beside it as {@code <name>.json}: what it is, what it was built from and how.
 * Paths of the build directory appear as {@code ${buildDir}}, so the same build gives the same metadata anywhere.
 *
 * @param schema          this format's version
 * @param archive         the archive's file name
 * @param sha256          the archive's SHA-256
 * @param size            the archive's size in bytes
 * @param target          the target id, such as {@code 3.11.2-debian-12-amd64}
 * @param version         the CPython version
 * @param variant         the variant it is built in ({@code freethreaded}, {@code debug}, ...), {@code default} for
 *                        the default build; null in metadata written before variants
 * @param distro          the distro id, such as {@code debian-12}
 * @param distroName      {@code debian}
 * @param distroVersion   {@code 12}
 * @param arch            the Debian arch
 * @param sourceFile      the upstream source file
 * @param sourceSha256    its SHA-256
 * @param planFingerprint the build plan's fingerprint
 * @param pluginVersion   the plugin version that built and packed it
 * @param profiles        manifest profiles applied
 * @param executor        where it was built: {@code host} or {@code container}
 * @param buildTriplet    the {@code --build} GNU triplet
 * @param prefix          the install prefix the tree was built for (it is relocatable)
 * @param sourceDateEpoch the SOURCE_DATE_EPOCH of the build
 * @param entryTime       the modification time of every archive entry, in epoch seconds
 * @param zstdLevel       zstd level
 * @param windowLog       zstd window log
 * @param configure       configure arguments with their origins
 * @param flags           make flag variables with each flag's origin
 * @param make            other make variables
 * @param toolchain       gcc, binutils, glibc and dpkg-dev versions of the build environment
 * @param dpkgBuildflags  the dpkg-buildflags (dpkg-dev) version that answered the flags
 * @param runtime         what a run image needs (the distro packages the ELF files load, with the versions built
 *                        against) and the modules the runtime has, built in and in lib-dynload; null for a build made
 *                        before this was recorded
 * @param build           how it was built: natively or cross-compiled, on which arch, with which optimisations; null
 *                        in metadata written before this was recorded
 * @param symbols         the companion archive of the runtime's debug files ({@code archive.symbols: separate}), or
 *                        null when the ELF files ship as the link left them
 */
public record ArchiveMetadata(int schema, String archive, String sha256, long size, String target, String version,
                              String variant, String distro, String distroName, String distroVersion, String arch, String sourceFile,
                              String sourceSha256, String planFingerprint, String pluginVersion, List<String> profiles,
                              String executor, String buildTriplet, String prefix, long sourceDateEpoch, long entryTime,
                              int zstdLevel, int windowLog, List<Flag> configure, Map<String, List<Flag>> flags,
                              Map<String, BuildPlan.TracedValue> make, Map<String, String> toolchain, String dpkgBuildflags,
                              RuntimeContents runtime,
                              @com.fasterxml.jackson.annotation.JsonInclude(
                                      com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Build build,
                              @com.fasterxml.jackson.annotation.JsonInclude(
                                      com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Symbols symbols) {

    /** Metadata without a symbols archive. */
    public ArchiveMetadata(int schema, String archive, String sha256, long size, String target, String version,
                           String variant, String distro, String distroName, String distroVersion, String arch,
                           String sourceFile, String sourceSha256, String planFingerprint, String pluginVersion,
                           List<String> profiles, String executor, String buildTriplet, String prefix,
                           long sourceDateEpoch, long entryTime, int zstdLevel, int windowLog, List<Flag> configure,
                           Map<String, List<Flag>> flags, Map<String, BuildPlan.TracedValue> make,
                           Map<String, String> toolchain, String dpkgBuildflags, RuntimeContents runtime, Build build) {
        this(schema, archive, sha256, size, target, version, variant, distro, distroName, distroVersion, arch,
                sourceFile, sourceSha256, planFingerprint, pluginVersion, profiles, executor, buildTriplet, prefix,
                sourceDateEpoch, entryTime, zstdLevel, windowLog, configure, flags, make, toolchain, dpkgBuildflags,
                runtime, build, null);
    }

    /**
     * The runtime's debug files, packed beside it ({@code <name>.dbgsym.tar.zst}), laid out as a gdb
     * {@code debug-file-directory}: {@code .build-id/xx/rest.debug} for each ELF file of the runtime.
     *
     * @param archive  its file name
     * @param sha256   its SHA-256
     * @param size     its size in bytes
     * @param buildIds the build-ids it has a debug file for, sorted
     */
    public record Symbols(String archive, String sha256, long size, List<String> buildIds) {
    }

    /**
     * How a runtime was built, for its consumers.
     *
     * @param method        {@code native} (on a machine of its arch) or {@code cross} (cross-compiled on another arch,
     *                      its programs run under emulation only to check it)
     * @param buildArch     the Debian arch of the machine that compiled it
     * @param optimizations what configure was asked to optimise with: {@code pgo} ({@code --enable-optimizations}),
     *                      {@code lto} ({@code --with-lto})
     */
    public record Build(String method, String buildArch, List<String> optimizations) {

        /** What {@code plan} builds. */
        public static Build of(BuildPlan plan) {
            List<String> opts = new java.util.ArrayList<>();
            List<String> args = plan.configure().stream().map(Flag::value).toList();
            if (args.contains("--enable-optimizations")) {
                opts.add("pgo");
            }
            if (args.stream().anyMatch(a -> a.equals("--with-lto") || a.startsWith("--with-lto="))) {
                opts.add("lto");
            }
            var cross = plan.cross();
            return new Build(cross == null ? "native" : "cross", cross == null ? plan.target().arch() : cross.buildArch(),
                    List.copyOf(opts));
        }
    }

    public static final int SCHEMA = 1;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    static ArchiveMetadata of(BuildPlan plan, TarZst.Written archive, long sourceDateEpoch, long entryTime,
                              Map<String, String> toolchain, RuntimeContents runtime, Symbols symbols) {
        var t = plan.target();
        return new ArchiveMetadata(SCHEMA, archive.file().getFileName().toString(), archive.sha256(), archive.size(),
                t.id(), t.version(), t.variant() == null ? dev.pyruntime.manifest.Variant.DEFAULT : t.variant(),
                t.distro(), t.distroName(), t.distroVersion(), t.arch(), plan.source().file(),
                plan.source().sha256(), plan.fingerprint(), plan.pluginVersion(), plan.profiles(),
                plan.environment().executor(), plan.environment().buildTriplet(), plan.prefix(), sourceDateEpoch, entryTime,
                plan.archive().zstdLevel(), plan.archive().windowLog(), plan.configure(), plan.flags(), plan.make(),
                toolchain, plan.environment().dpkgVersion(), runtime, Build.of(plan), symbols);
    }

    /** The metadata file of an archive: {@code python-3.11.2-debian-12-amd64.tar.zst} -> {@code python-3.11.2-debian-12-amd64.json}. */
    public static Path fileFor(Path archive) {
        return archive.resolveSibling(nameFor(archive.getFileName().toString()));
    }

    /** The metadata file name of an archive name. */
    public static String nameFor(String archiveName) {
        return archiveName.substring(0, archiveName.length() - ".tar.zst".length()) + ".json";
    }

    /** Writes this as JSON (atomically), with {@code buildDir} shown as {@code ${buildDir}}. */
    public void write(Path file, String buildDir) throws IOException {
        String json = JSON.writeValueAsString(this);
        if (buildDir != null && !buildDir.isEmpty()) {
            json = json.replace(buildDir, "${buildDir}");
        }
        AtomicFiles.writeString(file, json + "\n");
    }

    public static ArchiveMetadata read(Path file) throws IOException {
        // Some kB: a few hundred packages and paths at most. 16 MiB is far beyond any, and bounds a hostile one.
        return JSON.readValue(SmallFiles.readString(file, 16 << 20, "archive metadata"), ArchiveMetadata.class);
    }
}
