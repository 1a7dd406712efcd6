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

    /**
     * Whether this console has a transient status line: an interactive terminal, where a progress line can be
     * rewritten in place. A batch log has none, and gets an info line now and then instead.
     */
    default boolean hasStatusLine() {
        return false;
    }

    /** Replaces the status line with {@code line}, or clears it when {@code line} is null. */
    default void status(String line) {
    }
}
