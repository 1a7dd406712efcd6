package dev.pyruntime.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pyruntime.flags.Diagnostic;
import dev.pyruntime.flags.Flag;
import java.util.List;
import java.util.Map;

/**
 * Everything one target's build needs, as plain data: written to {@code plan.json}, read back by later goals, and
 * hashed into a fingerprint for up-to-date checks and provenance.
 *
 * @param schema        plan format version
 * @param fingerprint   SHA-256 of the plan's canonical JSON (without this field, with the build directory as
 *                      {@code ${buildDir}}): equal fingerprints mean the same inputs
 * @param pluginVersion the plugin version that made the plan
 * @param target        which runtime
 * @param profiles      active profiles, in order
 * @param source        the upstream source
 * @param environment   the build environment and what it answered
 * @param buildPackages Debian packages the build needs in that environment
 * @param prefix        the install prefix
 * @param buildDir      where the build runs, as the build environment sees it
 * @param configure     configure arguments, in order, each with its origin
 * @param flags         make variable ({@code EXTRA_CFLAGS}, {@code CPPFLAGS}, {@code LDFLAGS}) to its flags
 * @param make          other make variables
 * @param builtinModules standard-library extension modules compiled into libpython (Modules/Setup.local), each with
 *                      its origin
 * @param verifyModules the modules verify requires to import, each with its origin (not part of the fingerprint:
 *                      what verify requires does not change what is built; left out of the fingerprint's JSON, so
 *                      plans from before it have the same fingerprint)
 * @param verifyBin     what verify allows in {@code bin/} beside the interpreter (the manifest's {@code verify.bin});
 *                      like the modules, not part of the fingerprint
 * @param runImage      the image verify runs the runtime in (the distro's {@code runImage}), or null; not part of the
 *                      fingerprint. With the modules and the bin list, this is all verify needs: it reads the plan,
 *                      never the manifest
 * @param cleanup       cleanup rules (globs relative to the prefix)
 * @param archive       archive name and compression
 * @param diagnostics   what the planner found worth knowing
 */
public record BuildPlan(int schema, String fingerprint, String pluginVersion, TargetInfo target, List<String> profiles,
                        SourceInfo source, EnvironmentInfo environment, List<String> buildPackages, String prefix, String buildDir,
                        List<Flag> configure, Map<String, List<Flag>> flags, Map<String, TracedValue> make,
                        List<Flag> builtinModules,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Flag> verifyModules,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> verifyBin,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String runImage, List<String> cleanup,
                        ArchiveInfo archive,
                        List<Diagnostic> diagnostics) {

    public static final int SCHEMA = 1;

    public BuildPlan {
        // A plan.json written before builtinModules existed reads as none.
        builtinModules = builtinModules == null ? List.of() : builtinModules;
        // Empty (a manifest that requires no module) is written as no key, and reads back as none.
        verifyModules = verifyModules == null ? List.of() : verifyModules;
        verifyBin = verifyBin == null ? List.of() : verifyBin;
    }

    /** The configure option that builds libpython as a shared library. */
    public static final String ENABLE_SHARED = "--enable-shared";

    /** configure's switch for a free-threaded build (PEP 703; 3.13+): ABI flag {@code t}. */
    public static final String DISABLE_GIL = "--disable-gil";

    /** configure's switch for a debug build ({@code Py_DEBUG}): ABI flag {@code d}. */
    public static final String WITH_PYDEBUG = "--with-pydebug";

    /**
     * The ABI flags the configure arguments give, as {@code sys.abiflags} will say: {@code t} for a free-threaded
     * build, {@code d} for a debug build, {@code td} for both (configure adds them in that order), {@code ""} else.
     */
    public String abiFlags() {
        List<String> args = configure.stream().map(Flag::value).toList();
        return (args.contains(DISABLE_GIL) || args.contains(DISABLE_GIL + "=yes") ? "t" : "")
                + (args.contains(WITH_PYDEBUG) || args.contains(WITH_PYDEBUG + "=yes") ? "d" : "");
    }

    /**
     * The standard library's directory under {@code lib/}: {@code python3.13}, or a free-threaded build's
     * {@code python3.13t} (its extension modules have another ABI, so it has a tree of its own; a debug build shares
     * the default's name).
     */
    public String stdlibDir() {
        return "python" + target.series() + (abiFlags().contains("t") ? "t" : "");
    }

    /**
     * The interpreter's own file in {@code bin/}: {@code python3.13}, or {@code python3.13t}, {@code python3.13d},
     * {@code python3.13td} ({@code python$(LDVERSION)}); make install links {@code python3.13} to it.
     */
    public String interpreter() {
        return "python" + target.series() + abiFlags();
    }

    /**
     * Whether libpython is a shared library: the plan then links with the relocation rpath, the archive ships
     * {@code lib/libpython3.X.so}, and verify embeds the interpreter through it.
     */
    public boolean shared() {
        return configure.stream().anyMatch(f -> f.value().equals(ENABLE_SHARED));
    }

    /**
     * @param id            {@code 3.11.2-debian-12-amd64}; a variant's {@code 3.13.5+freethreaded-debian-13-amd64}
     * @param version       {@code 3.11.2}
     * @param variant       the variant ({@code freethreaded}), or null for the default build (left out of the JSON,
     *                      so a default build's plan, and its fingerprint, are what they were before variants)
     * @param series        {@code 3.11}
     * @param distro        {@code debian-12}
     * @param distroName    {@code debian}
     * @param distroVersion {@code 12}
     * @param arch          {@code amd64}
     */
    public record TargetInfo(String id, String version,
                             @JsonInclude(JsonInclude.Include.NON_NULL) String variant, String series, String distro,
                             String distroName, String distroVersion, String arch) {
    }

    /**
     * @param file       upstream file name
     * @param sha256     its SHA-256
     * @param urls       where to fetch it, in order ({@code apt-pool} is resolved at fetch time)
     * @param signature  detached signature file name, or null
     * @param signingKey the series' release-signing key fingerprint, or null
     */
    public record SourceInfo(String file, String sha256, List<String> urls, String signature, String signingKey) {
    }

    /**
     * @param executor     {@code host} or {@code container}
     * @param image        the container image the target builds in, or null on the host
     * @param description  which environment answered (for a container, with the prepared image's id)
     * @param buildTriplet {@code dpkg-architecture -qDEB_BUILD_GNU_TYPE}
     * @param vendor       dpkg's vendor, or {@code none} when vendor flags are off
     * @param dpkgVersion  the dpkg-dev version
     * @param maintOptions DEB_BUILD_MAINT_OPTIONS asked with
     * @param features     dpkg's feature states ({@code hardening.bindnow=no}, ...)
     * @param dpkgFlags    what dpkg-buildflags printed for CFLAGS, CPPFLAGS, CXXFLAGS and LDFLAGS, with dpkg's origin
     *                     ({@code -ffile-prefix-map} pointed at the build directory), before any policy
     * @param cross        for a cross build, what {@code dpkg-architecture -a<arch>} said; absent (null) for a native
     *                     build, whose plan is as before cross builds existed
     */
    public record EnvironmentInfo(String executor, String image, String description, String buildTriplet, String vendor,
                                  String dpkgVersion, String maintOptions, Map<String, String> features,
                                  Map<String, TracedValue> dpkgFlags,
                                  @JsonInclude(JsonInclude.Include.NON_NULL) dev.pyruntime.plan.EnvironmentFacts.Cross cross) {
    }

    /** The arch of the machine (or container) the target is built and verified in: its own, or a cross build's. */
    public String buildArch() {
        return cross() == null ? target.arch() : cross().buildArch();
    }

    /** The cross build's answers, or null for a native build. */
    public EnvironmentFacts.Cross cross() {
        return environment == null ? null : environment.cross();
    }

    /**
     * The build Python a cross build configures with, in the build directory (built there from the same source, or a
     * link to the one given), or null for a native build.
     */
    public java.nio.file.Path buildPython() {
        return cross() == null ? null : java.nio.file.Path.of(Planner.defaultBuildPython(buildDir));
    }

    /** Whether the build makes its build Python from the same source (none was given). */
    public boolean buildsBuildPython() {
        return cross() != null && cross().givenBuildPython() == null;
    }

    /**
     * A value with where it came from (a make variable, a dpkg-buildflags variable).
     *
     * @param value  the value
     * @param origin where it came from
     */
    public record TracedValue(String value, String origin) {
    }

    /**
     * @param name      archive file name
     * @param zstdLevel zstd level
     * @param windowLog zstd window log
     * @param symbols   the companion debug symbols archive's file name ({@code archive.symbols: separate}), or null
     *                  when the ELF files ship as the link left them
     */
    public record ArchiveInfo(String name, int zstdLevel, int windowLog,
                              @JsonInclude(JsonInclude.Include.NON_NULL) String symbols) {
        public ArchiveInfo(String name, int zstdLevel, int windowLog) {
            this(name, zstdLevel, windowLog, null);
        }
    }

    public BuildPlan withFingerprint(String value) {
        return new BuildPlan(schema, value, pluginVersion, target, profiles, source, environment, buildPackages, prefix, buildDir,
                configure, flags, make, builtinModules, verifyModules, verifyBin, runImage, cleanup, archive, diagnostics);
    }

    /** The plan with other checks for verify: they change nothing built, so not the fingerprint either. */
    public BuildPlan withVerify(List<Flag> modules, List<String> bin, String image) {
        return new BuildPlan(schema, fingerprint, pluginVersion, target, profiles, source, environment, buildPackages, prefix,
                buildDir, configure, flags, make, builtinModules, modules, bin, image, cleanup, archive, diagnostics);
    }

    /** The value of a make flag variable as passed to make: the flags joined by spaces. */
    public String joined(String variable) {
        return String.join(" ", flags.getOrDefault(variable, List.of()).stream().map(Flag::value).toList());
    }
}
