package dev.pyruntime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes files so that readers see the old content or the new, never half of it: a temp file beside, then a rename. */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes {@code text} as UTF-8 to {@code file}, creating its directory. */
    public static void writeString(Path file, String text) throws IOException {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    public static void write(Path file, byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = createTemp(dir, "." + file.getFileName(), ".part");
        try {
            Files.write(tmp, bytes);
            moveIntoPlace(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** What a new file asks for; the umask takes away the rest, as for any file a program creates. */
    private static final java.nio.file.attribute.FileAttribute<?> CREATE_MODE =
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));

    /**
     * A new empty temp file in {@code dir} for a file that will be renamed into place, with the permissions any new
     * file gets under the user's umask (usually 0644), not {@link Files#createTempFile}'s 0600: archives, checksums
     * and published files must be readable by whoever serves or consumes them.
     */
    public static Path createTemp(Path dir, String prefix, String suffix) throws IOException {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? Files.createTempFile(dir, prefix, suffix, CREATE_MODE)
                : Files.createTempFile(dir, prefix, suffix);
    }

    /** Renames a finished temp file (in the same directory) over {@code file}. */
    public static void moveIntoPlace(Path tmp, Path file) throws IOException {
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
