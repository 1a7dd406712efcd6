package dev.pyruntime.plan;

import dev.pyruntime.UserError;
import dev.pyruntime.env.BuildEnvironment;
import dev.pyruntime.flags.DpkgBuildflags;
import dev.pyruntime.flags.VendorFlags;
import dev.pyruntime.manifest.Manifest;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a target's build environment answered: its GNU build triplet and its vendor flags, and for a cross build
 * the target arch's answers.
 *
 * @param executor     {@code host} or {@code container}
 * @param description  which environment answered
 * @param buildTriplet {@code dpkg-architecture -qDEB_BUILD_GNU_TYPE}
 * @param vendor       {@code dpkg-buildflags --query} (for a cross build, with {@code DEB_HOST_ARCH} the target's
 *                     arch), or null when the manifest turns vendor flags off
 * @param cross        what {@code dpkg-architecture -a<arch>} said for a cross build, or null for a native one
 */
public record EnvironmentFacts(String executor, String description, String buildTriplet, VendorFlags vendor,
                               Cross cross) {

    public EnvironmentFacts(String executor, String description, String buildTriplet, VendorFlags vendor) {
        this(executor, description, buildTriplet, vendor, null);
    }

    /**
     * A cross build's answers.
     *
     * @param buildArch   the environment's own Debian arch ({@code DEB_BUILD_ARCH})
     * @param hostArch    the target's Debian arch ({@code DEB_HOST_ARCH})
     * @param hostTriplet its GNU triplet, configure's {@code --host} ({@code DEB_HOST_GNU_TYPE})
     * @param multiarch   its multiarch directory name, where its libraries and .pc files are
     *                    ({@code DEB_HOST_MULTIARCH})
     * @param givenBuildPython the build Python the user gave (linked where the build would make one), or null: the
     *                    build makes one from the same source
     */
    public record Cross(String buildArch, String hostArch, String hostTriplet, String multiarch,
                        @com.fasterxml.jackson.annotation.JsonInclude(
                                com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String givenBuildPython) {
        public Cross(String buildArch, String hostArch, String hostTriplet, String multiarch) {
            this(buildArch, hostArch, hostTriplet, multiarch, null);
        }

        /** The same answers, with the build Python the user gave. */
        public Cross withBuildPython(String path) {
            return new Cross(buildArch, hostArch, hostTriplet, multiarch, path);
        }
    }

    /** Asks {@code env}, running in {@code cwd}, as the manifest's build section says, for a native build. */
    public static EnvironmentFacts read(BuildEnvironment env, Path cwd, Manifest.Build build) throws UserError {
        return read(env, cwd, build, null);
    }

    /**
     * @param crossArch the target's arch when the environment cross-compiles it (the manifest's {@code cross}
     *                  allows it and the environment is another arch), or null for a native build
     */
    public static EnvironmentFacts read(BuildEnvironment env, Path cwd, Manifest.Build build, String crossArch)
            throws UserError {
        String triplet = DpkgBuildflags.buildTriplet(env, cwd);
        Cross cross = null;
        if (crossArch != null) {
            Map<String, String> arch = DpkgBuildflags.architecture(env, cwd, crossArch);
            cross = new Cross(arch.get("DEB_BUILD_ARCH"), crossArch, arch.get("DEB_HOST_GNU_TYPE"),
                    arch.getOrDefault("DEB_HOST_MULTIARCH", arch.get("DEB_HOST_GNU_TYPE")));
        }
        VendorFlags vendor = build.flagsFrom().equals("none") ? null
                : DpkgBuildflags.query(env, cwd, build.maintOptions(), crossArch);
        return new EnvironmentFacts(env.executor(), env.describe(), triplet, vendor, cross);
    }
}
