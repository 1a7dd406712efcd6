package dev.pyruntime.plan;

import dev.pyruntime.UserError;
import dev.pyruntime.env.BuildEnvironment;
import dev.pyruntime.flags.DpkgBuildflags;
import dev.pyruntime.flags.VendorFlags;
import dev.pyruntime.manifest.Manifest;
import java.nio.file.Path;

/**
 * What a target's build environment answered: its GNU build triplet and its vendor flags.
 *
 * @param executor     {@code host} or {@code container}
 * @param description  which environment answered
 * @param buildTriplet {@code dpkg-architecture -qDEB_BUILD_GNU_TYPE}
 * @param vendor       {@code dpkg-buildflags --query}, or null when the manifest turns vendor flags off
 */
public record EnvironmentFacts(String executor, String description, String buildTriplet, VendorFlags vendor) {

    /** Asks {@code env}, running in {@code cwd}, as the manifest's build section says. */
    public static EnvironmentFacts read(BuildEnvironment env, Path cwd, Manifest.Build build) throws UserError {
        String triplet = DpkgBuildflags.buildTriplet(env, cwd);
        VendorFlags vendor = build.flagsFrom().equals("none") ? null : DpkgBuildflags.query(env, cwd, build.maintOptions());
        return new EnvironmentFacts(env.executor(), env.describe(), triplet, vendor);
    }
}
