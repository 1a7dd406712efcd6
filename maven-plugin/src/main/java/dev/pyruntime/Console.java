package dev.pyruntime;

/** Where the core writes what a user should read; the Maven layer maps it onto its log. */
public interface Console {
    void info(String line);

    void warn(String line);

    /** Detail shown only when asked for (Maven's -X). */
    default void debug(String line) {
    }

    default boolean isDebug() {
        return false;
    }
}
