package dev.pyruntime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a file that should be small (a {@code .sha256}, an archive's metadata) without trusting it to be: a file
 * beside a downloaded archive can be anything, {@code /dev/zero} included, and is refused once it passes its bound.
 */
public final class SmallFiles {
    private SmallFiles() {
    }

    /** The UTF-8 text of {@code file}, which must be a regular file of at most {@code max} bytes. */
    public static String readString(Path file, int max, String what) throws IOException {
        return new String(readBytes(file, max, what), StandardCharsets.UTF_8);
    }

    /** The bytes of {@code file}, which must be a regular file of at most {@code max} bytes. */
    public static byte[] readBytes(Path file, int max, String what) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file.getFileName() + " is not a regular file");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(max + 1);
        }
        if (bytes.length > max) {
            throw new IOException(file.getFileName() + " holds more than " + max + " bytes, which no " + what
                    + " does: it is not one");
        }
        return bytes;
    }
}
