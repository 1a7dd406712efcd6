package dev.pyruntime.source;

import dev.pyruntime.Console;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what the code under test said, as {@code INFO line} and {@code WARN line}; optionally echoes it. */
final class RecordingConsole implements Console {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final boolean echo;

    RecordingConsole() {
        this(false);
    }

    RecordingConsole(boolean echo) {
        this.echo = echo;
    }

    @Override
    public void info(String line) {
        add("INFO " + line);
    }

    @Override
    public void warn(String line) {
        add("WARN " + line);
    }

    private void add(String line) {
        lines.add(line);
        if (echo) {
            System.out.println(line);
            System.out.flush();
        }
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    boolean said(String part) {
        return lines.stream().anyMatch(l -> l.contains(part));
    }

    long count(String part) {
        return lines.stream().filter(l -> l.contains(part)).count();
    }

    @Override
    public String toString() {
        return String.join("\n", lines);
    }
}
