package dev.pyruntime.build;

import dev.pyruntime.Console;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One build at a time per target work directory, across threads of one Maven ({@code -T}) and across Maven
 * processes: an in-JVM lock, then a file lock on {@code <workDir>/.lock}.
 */
final class WorkDirLock implements AutoCloseable {
    private static final ConcurrentHashMap<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

    private final ReentrantLock local;
    private final FileChannel channel;
    private final FileLock lock;

    private WorkDirLock(ReentrantLock local, FileChannel channel, FileLock lock) {
        this.local = local;
        this.channel = channel;
        this.lock = lock;
    }

    static WorkDirLock acquire(Path workDir, String id, Console console) throws IOException {
        Path dir = workDir.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        ReentrantLock local = LOCAL.computeIfAbsent(dir, k -> new ReentrantLock());
        if (!local.tryLock()) {
            console.info(id + ": waiting for another build of this target in this Maven run");
            local.lock();
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                console.info(id + ": waiting for another Maven process building this target (" + dir + ")");
                lock = channel.lock();
            }
            return new WorkDirLock(local, channel, lock);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            local.unlock();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
            channel.close();
        } finally {
            local.unlock();
        }
    }
}
