package dev.pyruntime.maven;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * The status line of an interactive terminal: one line rewritten in place ({@code \r}, the text, erase to the end of
 * the line), cleared before any log line is written so the two never mix.
 */
final class TerminalStatus {
    /** Maven's standard output, looked up at each write: Maven installs its own stream after plugins are loaded. */
    static final TerminalStatus STDOUT = new TerminalStatus(() -> System.out);

    private static final String ERASE_LINE = "\u001B[K";

    private final Supplier<PrintStream> out;
    private boolean shown;

    TerminalStatus(Supplier<PrintStream> out) {
        this.out = out;
    }

    /**
     * Whether a build may draw a status line: an interactive Maven (not {@code -B}) on a terminal that understands
     * cursor control, one project at a time (with {@code -T} several projects would fight over the line), and not
     * {@code -X}, whose debug lines show the whole output instead.
     */
    static boolean wanted(boolean interactiveMode, boolean terminal, boolean parallel, boolean debug, String term) {
        return interactiveMode && terminal && !parallel && !debug && term != null && !term.isBlank() && !"dumb".equals(term);
    }

    synchronized void show(String line) {
        PrintStream stream = out.get();
        stream.print("\r" + line + ERASE_LINE);
        stream.flush();
        shown = true;
    }

    /** Clears the status line if one is shown; call before writing a log line. */
    synchronized void clear() {
        if (shown) {
            PrintStream stream = out.get();
            stream.print("\r" + ERASE_LINE);
            stream.flush();
            shown = false;
        }
    }

    /** Runs {@code write} (a log line) with the status line cleared first, so nothing is written over it. */
    synchronized void around(Runnable write) {
        clear();
        write.run();
    }
}
