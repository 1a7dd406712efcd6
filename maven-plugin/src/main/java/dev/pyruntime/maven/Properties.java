package dev.pyruntime.maven;

/** Every {@code -D} property the plugin reads, in one place. */
public final class Properties {
    public static final String PREFIX = "python-runtime.";
    public static final String MANIFEST = PREFIX + "manifest";
    public static final String TARGETS = PREFIX + "targets";
    public static final String PROFILE = PREFIX + "profile";
    public static final String OUTPUT_DIRECTORY = PREFIX + "outputDirectory";
    public static final String SKIP = PREFIX + "skip";

    private Properties() {
    }
}
