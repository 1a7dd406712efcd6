package dev.pyruntime.manifest;

import java.util.List;

/**
 * A distro release runtimes are built for, such as {@code debian-12}.
 *
 * @param id       the manifest key: {@code <name>-<version>}
 * @param name     {@code debian}
 * @param version  {@code 12}
 * @param executor where its builds run
 * @param image    the container image, for the container executor
 * @param runImage a bare image of the distro that consumers run the runtime in, or null: verify installs only the
 *                 runtime's packages in it and runs the runtime there (see docs/consumers.md)
 * @param packages Debian packages its build needs
 * @param at       where it is declared
 */
public record Distro(String id, String name, String version, Executor executor, String image, String runImage,
                     List<String> packages, Location at) {

    /** The build image, or null when the distro builds on this machine. */
    public String buildImage() {
        return executor == Executor.CONTAINER ? image : null;
    }

    /** Where a distro's builds run. */
    public enum Executor {
        /** On this machine, when it runs that distro release and arch. */
        HOST,
        /** In a container of the distro's build image. */
        CONTAINER
    }
}
