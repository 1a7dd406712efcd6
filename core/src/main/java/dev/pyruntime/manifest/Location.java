package dev.pyruntime.manifest;

/**
 * A 1-based line and column in the manifest file.
 *
 * @param line   1-based line, 0 when unknown
 * @param column 1-based column, 0 when unknown
 */
public record Location(int line, int column) {
    public static final Location UNKNOWN = new Location(0, 0);

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
