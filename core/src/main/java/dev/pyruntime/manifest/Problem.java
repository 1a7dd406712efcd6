package dev.pyruntime.manifest;

import dev.pyruntime.Chars;
import java.nio.file.Path;

/**
 * One thing wrong with a manifest: where it is (file, line, column, key path), what is wrong and how to fix it.
 *
 * @param file     the manifest file
 * @param line     1-based line, 0 when unknown
 * @param column   1-based column, 0 when unknown
 * @param path     the key path, such as {@code build.flags.cflags.add[2]}
 * @param message  what is wrong and what would be right
 * @param severity error (the manifest is refused) or warning (reported, the build goes on)
 */
public record Problem(Path file, int line, int column, String path, String message, Severity severity) {

    /** How bad a problem is. */
    public enum Severity { ERROR, WARNING }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /**
     * Renders the problem as {@code python.yaml:12:5: build.flags: message}, the form editors and CI logs link: one
     * line, whatever a key or value held (a control character shows as {@code <U+000A>}, never raw, so no problem
     * can forge a line of the build log).
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(file == null ? "<manifest>" : Chars.shown(file.getFileName().toString()));
        if (line > 0) {
            sb.append(':').append(line);
            if (column > 0) {
                sb.append(':').append(column);
            }
        }
        sb.append(": ");
        if (path != null && !path.isEmpty()) {
            sb.append(Chars.shown(path)).append(": ");
        }
        return sb.append(Chars.shown(message)).toString();
    }
}
