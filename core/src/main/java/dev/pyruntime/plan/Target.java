package dev.pyruntime.plan;

import dev.pyruntime.manifest.Distro;
import dev.pyruntime.manifest.Release;

/**
 * One runtime to build: a release for a distro and an arch.
 *
 * @param release the CPython release
 * @param distro  the distro release
 * @param arch    the Debian arch
 */
public record Target(Release release, Distro distro, String arch) {

    /** {@code 3.11.2-debian-12-amd64}. */
    public String id() {
        return release.version() + "-" + distro.id() + "-" + arch;
    }

    @Override
    public String toString() {
        return id();
    }
}
