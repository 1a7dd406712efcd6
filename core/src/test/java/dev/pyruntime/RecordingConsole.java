package dev.pyruntime;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps what the code under test said, as {@code INFO line}, {@code WARN line} and (when debugging) {@code DEBUG line};
 * optionally echoes it. It can play an interactive terminal, recording each status line (null when cleared).
 */
public final class RecordingConsole implements Console {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<String> status = new CopyOnWriteArrayList<>();
    private final boolean echo;
    private final boolean statusLine;
    private final boolean debugging;

    public RecordingConsole() {
        this(false);
    }

    public RecordingConsole(boolean echo) {
        this(echo, false, false);
    }

    private RecordingConsole(boolean echo, boolean statusLine, boolean debugging) {
        this.echo = echo;
        this.statusLine = statusLine;
        this.debugging = debugging;
    }

    /** An interactive terminal: it has a status line. */
    public static RecordingConsole terminal() {
        return new RecordingConsole(false, true, false);
    }

    /** Maven's -X, on a terminal. */
    public static RecordingConsole debugging() {
        return new RecordingConsole(false, true, true);
    }

    @Override
    public void info(String line) {
        add("INFO " + line);
    }

    @Override
    public void warn(String line) {
        add("WARN " + line);
    }

    @Override
    public void debug(String line) {
        if (debugging) {
            add("DEBUG " + line);
        }
    }

    @Override
    public boolean isDebug() {
        return debugging;
    }

    @Override
    public boolean hasStatusLine() {
        return statusLine;
    }

    @Override
    public void status(String line) {
        status.add(String.valueOf(line));
    }

    private void add(String line) {
        lines.add(line);
        if (echo) {
            System.out.println(line);
            System.out.flush();
        }
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** Every status line drawn, {@code "null"} where it was cleared. */
    public List<String> statusLines() {
        return List.copyOf(status);
    }

    public boolean said(String part) {
        return lines.stream().anyMatch(l -> l.contains(part));
    }

    public long count(String part) {
        return lines.stream().filter(l -> l.contains(part)).count();
    }

    @Override
    public String toString() {
        return String.join("\n", lines);
    }
}
