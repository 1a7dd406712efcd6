package dev.pyruntime.manifest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects every problem of one manifest file so that all of them are reported together. */
final class Problems {
    private final Path file;
    private final List<Problem> list = new ArrayList<>();

    Problems(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    void error(Location at, String path, String message) {
        add(at, path, message, Problem.Severity.ERROR);
    }

    void warning(Location at, String path, String message) {
        add(at, path, message, Problem.Severity.WARNING);
    }

    private void add(Location at, String path, String message, Problem.Severity severity) {
        Location loc = at == null ? Location.UNKNOWN : at;
        list.add(new Problem(file, loc.line(), loc.column(), path, message, severity));
    }

    boolean hasErrors() {
        return list.stream().anyMatch(Problem::isError);
    }

    /** Problems in file order, so the report reads top to bottom like the manifest. */
    List<Problem> sorted() {
        List<Problem> copy = new ArrayList<>(list);
        copy.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
        return copy;
    }
}
