package dev.pyruntime;

/**
 * The front end as the core sees it: where it writes what a user should read (the Maven layer maps it onto its log),
 * and the {@link #words() words} it uses for the front end's settings.
 */
public interface Console {
    /** How the front end names its settings, for messages that say which one to change. */
    default Vocabulary words() {
        return Vocabulary.PLAIN;
    }

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
