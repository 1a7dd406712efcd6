package dev.pyruntime.archive;

import dev.pyruntime.SmallFiles;
import dev.pyruntime.AtomicFiles;
import dev.pyruntime.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The {@code <archive>.sha256} file beside an archive, in {@code sha256sum} format: {@code <hex>  <file name>}. */
public final class Sha256Sidecar {
    private Sha256Sidecar() {
    }

    public static Path fileFor(Path archive) {
        return archive.resolveSibling(archive.getFileName() + ".sha256");
    }

    public static String hash(Path file) throws IOException {
        return Sha256.of(file);
    }

    static void write(Path archive, String sha256) throws IOException {
        AtomicFiles.writeString(fileFor(archive), line(sha256, archive.getFileName().toString()));
    }

    /** A sidecar's content: what {@code sha256sum FILE} prints. */
    public static String line(String sha256, String fileName) {
        return sha256 + "  " + fileName + "\n";
    }

    /** The checksum a sidecar records, or null when it holds none. */
    public static String read(Path sidecar) throws IOException {
        String text = SmallFiles.readString(sidecar, 4096, "sha256sum line").strip();
        String first = text.isEmpty() ? "" : text.split("\\s+")[0].toLowerCase(Locale.ROOT);
        return Sha256.isValid(first) ? first : null;
    }
}
