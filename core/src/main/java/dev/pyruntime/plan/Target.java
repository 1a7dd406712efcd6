package dev.pyruntime.plan;

import dev.pyruntime.manifest.Distro;
import dev.pyruntime.manifest.Release;
import dev.pyruntime.manifest.Variant;

/**
 * One runtime to build: a release, in a variant, for a distro and an arch.
 *
 * @param release the CPython release
 * @param variant the variant's name, or {@link Variant#DEFAULT} for the default build
 * @param distro  the distro release
 * @param arch    the Debian arch
 */
public record Target(Release release, String variant, Distro distro, String arch) {

    /** The default build of a release. */
    public Target(Release release, Distro distro, String arch) {
        this(release, Variant.DEFAULT, distro, arch);
    }

    /** {@code 3.11.2-debian-12-amd64}; a variant's {@code 3.13.5+freethreaded-debian-13-amd64}. */
    public String id() {
        return release.version() + Variant.suffix(variant) + "-" + distro.id() + "-" + arch;
    }

    /** Whether this is a release's default build, which has no variant in its names. */
    public boolean isDefaultVariant() {
        return variant.equals(Variant.DEFAULT);
    }

    @Override
    public String toString() {
        return id();
    }
}
