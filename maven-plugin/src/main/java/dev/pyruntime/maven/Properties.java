package dev.pyruntime.maven;

/** Every {@code -D} property the plugin reads, in one place. */
public final class Properties {
    public static final String PREFIX = "python-runtime.";
    public static final String MANIFEST = PREFIX + "manifest";
    public static final String TARGETS = PREFIX + "targets";
    public static final String PROFILE = PREFIX + "profile";
    public static final String OUTPUT_DIRECTORY = PREFIX + "outputDirectory";
    public static final String SKIP = PREFIX + "skip";
    public static final String JOBS = PREFIX + "jobs";
    public static final String CCACHE = PREFIX + "ccache";
    public static final String INSTALL_BUILD_PACKAGES = PREFIX + "installBuildPackages";
    public static final String SOURCE_CACHE = PREFIX + "sourceCache";
    public static final String OUTPUT_TIMESTAMP = PREFIX + "outputTimestamp";
    public static final String REPOSITORY = PREFIX + "repository";
    public static final String DRY_RUN = PREFIX + "dryRun";

    private Properties() {
    }
}
