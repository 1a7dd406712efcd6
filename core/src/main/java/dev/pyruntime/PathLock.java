package dev.pyruntime;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive lock on a lock file, held against other threads of this JVM (Maven's {@code -T}) and against other
 * processes: an in-JVM lock first (a {@link FileLock} cannot be taken twice in one JVM), then the file lock. The lock
 * file is never deleted: deleting it would let two processes lock different files of the same name.
 */
public final class PathLock implements AutoCloseable {
    private static final ConcurrentMap<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

    private final ReentrantLock local;
    private final FileChannel channel;
    private final FileLock fileLock;

    private PathLock(ReentrantLock local, FileChannel channel, FileLock fileLock) {
        this.local = local;
        this.channel = channel;
        this.fileLock = fileLock;
    }

    /**
     * Takes the lock, waiting for whoever holds it; {@code waiting} runs (once per kind of wait) before blocking,
     * so the caller can say what it waits for.
     */
    public static PathLock acquire(Path lockFile, Runnable waiting) throws IOException {
        Path file = lockFile.toAbsolutePath().normalize();
        Files.createDirectories(file.getParent());
        ReentrantLock local = IN_JVM.computeIfAbsent(file, p -> new ReentrantLock());
        if (!local.tryLock()) {
            waiting.run();
            local.lock();
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock fileLock = channel.tryLock();
            if (fileLock == null) {
                waiting.run();
                fileLock = channel.lock();
            }
            return new PathLock(local, channel, fileLock);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            local.unlock();
            throw e;
        }
    }

    /** Releases the process lock, then the in-JVM lock. */
    @Override
    public void close() throws IOException {
        try {
            fileLock.release();
            channel.close();
        } finally {
            local.unlock();
        }
    }
}
