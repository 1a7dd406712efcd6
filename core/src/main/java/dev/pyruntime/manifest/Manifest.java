package dev.pyruntime.manifest;

import dev.pyruntime.flags.Edit;
import dev.pyruntime.flags.FlagKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A loaded, validated manifest: the catalog of CPython releases, distros and arches, and the build policy.
 *
 * @param file      where it was read from
 * @param archive   archive naming and compression
 * @param source    where sources come from
 * @param distros   distros by id, in file order
 * @param arches    arches, in file order
 * @param build     build defaults
 * @param versions  releases, in file order
 * @param overrides overrides, in file order
 * @param profiles  profiles by name
 * @param variants  the variants a release may be built in besides its default build, by name, in file order
 * @param verify    what {@code verify} requires beyond its defaults
 * @param runners   the CI runner label per arch (the {@code matrix} goal's {@code runner}), defaults included
 * @param publish   what deploy must do ({@code publish: { signing: required }})
 * @param cross     the arches whose targets a machine of another arch may cross-compile, by target arch
 * @param warnings  problems that do not stop the build
 */
public record Manifest(Path file, Archive archive, Source source, Map<String, Distro> distros, List<String> arches,
                       Build build, List<Release> versions, List<OverrideRule> overrides, Map<String, Profile> profiles,
                       Map<String, Variant> variants, Verify verify, Map<String, String> runners, Publish publish, Map<String, Cross> cross,
                       List<Problem> warnings) {

    /**
     * The mirror name that means "the Debian source pool of this machine's apt archive", which holds byte-identical
     * upstream tarballs under Debian's {@code .orig} names.
     */
    public static final String APT_POOL = "apt-pool";

    /** GitHub's hosted runners, for the arches they have; a manifest's {@code runners} adds to and overrides them. */
    public static final Map<String, String> DEFAULT_RUNNERS = Map.of("amd64", "ubuntu-24.04", "arm64", "ubuntu-24.04-arm");

    /** The schema version this plugin reads. */
    public static final int SCHEMA = 1;

    /**
     * Archive naming and compression.
     *
     * @param name      file name template
     * @param zstdLevel zstd level (1-22)
     * @param windowLog zstd window log (10-31)
     * @param separateSymbols {@code symbols: separate}: the runtime's ELF files are stripped after the link and their
     *                  debug files packed into a companion archive ({@link #symbolsName})
     */
    public record Archive(Template name, int zstdLevel, int windowLog, boolean separateSymbols) {
        /** The value of {@code archive.symbols} that asks for a companion debug symbols archive. */
        public static final String SEPARATE = "separate";

        /** What ends a companion symbols archive's name in place of the runtime archive's {@code .tar.zst}. */
        public static final String SYMBOLS_SUFFIX = ".dbgsym.tar.zst";

        /** The companion symbols archive's name for the runtime archive {@code archiveName} (which ends in .tar.zst). */
        public static String symbolsName(String archiveName) {
            return archiveName.substring(0, archiveName.length() - ".tar.zst".length()) + SYMBOLS_SUFFIX;
        }

        /**
         * The most bytes an archive name may expand to. A file name is at most 255 bytes (NAME_MAX), and the files
         * written beside the archive add to its name: its {@code .sha256}, and the temp file each is written to
         * first ({@code .<name>.sha256<random digits>.part}).
         */
        public static final int MAX_NAME_BYTES = 200;

        /**
         * The archive name of one target: the template with the target's values; {@code {variant}} gives
         * {@code +freethreaded} for a variant, and nothing for the default build.
         */
        public String nameFor(String version, String variant, String series, String distroName, String distroVersion,
                              String arch, String targetId) {
            return name.expand(Map.of("version", version, "variant", Variant.suffix(variant), "series", series,
                    "distro", distroName, "distroVersion", distroVersion, "arch", arch, "target", targetId));
        }
    }

    /**
     * Where sources come from.
     *
     * @param url         upstream URL template
     * @param mirrors     mirrors tried after the URL: URL templates or {@code apt-pool}
     * @param signingKeys release-signing key fingerprint per series ({@code 3.13})
     */
    public record Source(Template url, List<String> mirrors, Map<String, String> signingKeys) {
    }

    /**
     * Build defaults every target starts from.
     *
     * @param prefix       the install prefix template
     * @param configure    configure arguments
     * @param flagsFrom    where vendor flags come from: {@code dpkg-buildflags} or {@code none}
     * @param maintOptions DEB_BUILD_MAINT_OPTIONS given to dpkg-buildflags, such as {@code hardening=+all}
     * @param flags        edits to the vendor flags
     * @param make         extra make variables
     * @param cleanup      paths removed from the installed tree (globs)
     * @param accept       conflict ids accepted everywhere
     * @param builtinModules standard-library extension modules compiled into libpython instead of lib-dynload
     */
    public record Build(Template prefix, List<String> configure, String flagsFrom, String maintOptions,
                        Map<FlagKind, Edit> flags, Map<String, String> make, List<String> cleanup, Set<String> accept,
                        List<String> builtinModules) {
    }

    /**
     * What {@code verify} requires of every archive, on top of its per-version defaults.
     *
     * @param addModules    modules that must import, besides the defaults
     * @param removeModules default modules not required
     * @param bin           globs of what {@code bin/} may hold
     */
    public record Verify(List<String> addModules, List<String> removeModules, List<String> bin) {
        public static final Verify DEFAULT = new Verify(List.of(), List.of(),
                List.of("python", "python3", "python3.*", "python3-config", "2to3", "2to3-*"));
    }

    /**
     * What deploy must do.
     *
     * @param signingRequired whether deploy fails, before building anything, without a signing key
     */
    /**
     * How the targets of one arch may be cross-compiled ({@code cross: { arm64: { from: amd64, matrix: native } }}).
     *
     * @param from        the arch of the machine that cross-compiles them (the build machine's Debian arch)
     * @param matrixCross whether the {@code matrix} goal sends them to a runner of {@code from} ({@code matrix:
     *                    cross}) instead of one of their own arch ({@code matrix: native}, the default: a native
     *                    build has PGO)
     * @param distros     the distros whose targets of the arch are cross-compiled; empty for every distro
     */
    public record Cross(String from, boolean matrixCross, List<String> distros) {
        /** Whether the set-up covers the targets of {@code distro}. */
        public boolean covers(String distro) {
            return distros.isEmpty() || distros.contains(distro);
        }
    }

    /**
     * The cross set-up that lets a machine of {@code buildArch} build the targets of {@code distro} and {@code arch},
     * or null.
     */
    public Cross crossFor(String arch, String distro, String buildArch) {
        Cross c = cross.get(arch);
        return c != null && c.from().equals(buildArch) && !arch.equals(buildArch) && c.covers(distro) ? c : null;
    }

    public record Publish(boolean signingRequired) {
        public static final Publish DEFAULT = new Publish(false);
    }

    /** The variants the release is built in: {@link Variant#DEFAULT} first, then each declared one it has. */
    public List<String> variantsOf(PythonVersion version) {
        return Variant.of(version, variants);
    }

    public String fileName() {
        return file.getFileName().toString();
    }
}
