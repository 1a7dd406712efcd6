package dev.pyruntime.source;

import dev.pyruntime.PathLock;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;

/**
 * The user's source cache, shared by every project and every Maven process: {@code <dir>/<sha256>/<file>}, the
 * directory named by the content's pinned SHA-256, the file by its upstream name. A verified signature is kept
 * beside it as {@code <dir>/<sha256>/<file>.asc}.
 *
 * <p>Whoever reads or writes an entry holds its lock, a {@link PathLock} on {@code <dir>/<sha256>/.lock} (threads
 * of one build and other processes). Files are written to a temp file in the same
 * directory and renamed into place atomically, so an entry is either absent or complete.
 */
final class SourceCache {
    static final String TEMP_SUFFIX = ".part";

    private final Path dir;

    SourceCache(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    Path dir() {
        return dir;
    }

    /** Where the file with this content lives once cached. */
    Path entry(String sha256, String file) {
        return dir.resolve(sha256).resolve(file);
    }

    /**
     * Locks the entry directory of {@code sha256}, waiting for another thread or process that holds it (and saying
     * so through {@code waiting}). Temp files left by a process that died while it held the lock are removed.
     */
    PathLock lock(String sha256, Consumer<Path> waiting) throws IOException {
        Path entryDir = dir.resolve(sha256);
        Path lockFile = entryDir.resolve(".lock");
        PathLock lock = PathLock.acquire(lockFile, () -> waiting.accept(lockFile));
        try {
            removeTemps(entryDir);
            return lock;
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** A new empty temp file beside the entry, named so that a later lock holder can recognise and remove it. */
    Path newTemp(String sha256, String file) throws IOException {
        return dev.pyruntime.AtomicFiles.createTemp(dir.resolve(sha256), "." + file + ".", TEMP_SUFFIX);
    }

    /** Moves a complete temp file into place as the entry, atomically. */
    void commit(Path temp, Path entry) throws IOException {
        try {
            Files.move(temp, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + temp + " to " + entry + " atomically: put the source cache ("
                    + dir + ") on a local file system", e);
        }
    }

    private static void removeTemps(Path entryDir) throws IOException {
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(entryDir, "*" + TEMP_SUFFIX)) {
            for (Path temp : temps) {
                Files.deleteIfExists(temp);
            }
        }
    }
}
