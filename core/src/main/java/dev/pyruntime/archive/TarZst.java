package dev.pyruntime.archive;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdOutputStream;
import dev.pyruntime.AtomicFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Packs a directory tree as a reproducible POSIX (pax) tar streamed into zstd: entries sorted by path, one
 * modification time, owner and group 0 without names, modes normalised (directories and executables 0755, other files
 * 0644, links 0777). The same tree and settings always give the same bytes. Decodable by stock {@code tar --zstd} and
 * {@code zstd -d} with no extra flags, as long as the window log is at most 27 (zstd's default decoder limit).
 */
public final class TarZst {
    private TarZst() {
    }

    /**
     * @param level     zstd level, 1-22 (above 19 is zstd's "ultra" range)
     * @param windowLog zstd window log with long-distance matching, as {@code zstd --long=<windowLog>}
     */
    public record Settings(FileTime mtime, int level, int windowLog) {
    }

    /** What was written. */
    public record Written(Path file, String sha256, long size, int entries) {
    }

    /**
     * Writes {@code root}'s content (not {@code root} itself) to {@code out}, through a temp file beside it that is
     * renamed into place only when complete.
     */
    public static Written write(Path root, Path out, Settings settings) throws IOException {
        List<Path> paths = sortedTree(root);
        Path dir = out.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dev.pyruntime.AtomicFiles.createTemp(dir, "." + out.getFileName(), ".part");
        try {
            MessageDigest sha = dev.pyruntime.Sha256.digest();
            int entries = 0;
            try (OutputStream file = new DigestOutputStream(Files.newOutputStream(tmp), sha);
                 ZstdOutputStream zstd = new ZstdOutputStream(new BufferedOutputStream(file, 1 << 20), RecyclingBufferPool.INSTANCE);
                 TarArchiveOutputStream tar = new TarArchiveOutputStream(zstd, "UTF-8")) {
                zstd.setLevel(settings.level());
                zstd.setLong(settings.windowLog());
                zstd.setChecksum(true);
                // One worker: zstd's output with workers depends only on the parameters, not on the machine's cores,
                // and compression overlaps with this thread's tar writing.
                zstd.setWorkers(1);
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                tar.setAddPaxHeadersForNonAsciiNames(true);
                for (Path p : paths) {
                    writeEntry(tar, root, p, settings.mtime());
                    entries++;
                }
                tar.finish();
            }
            long size = Files.size(tmp);
            AtomicFiles.moveIntoPlace(tmp, out);
            return new Written(out, dev.pyruntime.Sha256.hex(sha), size, entries);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Every path under {@code root} (not {@code root}), in the archive's order: by relative path, as bytes. */
    static List<Path> sortedTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> out = new ArrayList<>(walk.filter(p -> !p.equals(root)).toList());
            out.sort((a, b) -> compareBytes(name(root, a), name(root, b)));
            return out;
        }
    }

    private static void writeEntry(TarArchiveOutputStream tar, Path root, Path p, FileTime mtime) throws IOException {
        String name = name(root, p);
        TarArchiveEntry e;
        boolean regular = false;
        if (Files.isSymbolicLink(p)) {
            e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
            e.setLinkName(Files.readSymbolicLink(p).toString());
            e.setMode(0120777);
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            e = new TarArchiveEntry(name + "/");
            e.setMode(040755);
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            e = new TarArchiveEntry(name);
            regular = true;
            e.setMode(Files.getPosixFilePermissions(p).contains(java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE)
                    ? 0100755 : 0100644);
            e.setSize(Files.size(p));
        } else {
            throw new IOException("cannot archive " + p + ": not a file, directory or symlink");
        }
        e.setModTime(mtime);
        e.setIds(0, 0);
        e.setUserName("");
        e.setGroupName("");
        tar.putArchiveEntry(e);
        if (regular) {
            Files.copy(p, tar);
        }
        tar.closeArchiveEntry();
    }

    private static String name(Path root, Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }

    private static int compareBytes(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
