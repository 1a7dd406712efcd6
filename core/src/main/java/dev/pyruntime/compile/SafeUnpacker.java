package dev.pyruntime.compile;

import dev.pyruntime.Chars;
import dev.pyruntime.UserError;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Unpacks tar archives without trusting them: no absolute paths, no {@code ..}, no link that points outside the
 * destination, no device files or FIFOs. Keeps file modes and modification times (CPython's build compares them).
 */
public final class SafeUnpacker {
    /**
     * How much one unpacking may write. The bytes are counted as they are written, not taken from the headers.
     *
     * @param totalBytes all files together
     * @param entryBytes one file
     * @param entries    entries of every kind
     */
    public record Limits(long totalBytes, long entryBytes, int entries) {
        /**
         * Sized from real CPython trees, with a wide margin: a runtime archive holds about 2,000 entries and
         * 60 to 250 MB (its largest file, libpython or the interpreter, 6 to 40 MB with symbols); a source tree about
         * 5,000 entries and 120 MB.
         */
        public static final Limits DEFAULT = new Limits(1L << 30, 256L << 20, 50_000);
    }

    private SafeUnpacker() {
    }

    /** Unpacks a {@code .tgz}/{@code .tar.gz} or {@code .tar.xz} file. */
    public static void unpackSource(Path tarball, Path dest, int stripComponents) throws IOException, UserError {
        String name = tarball.getFileName().toString();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(tarball), 1 << 16)) {
            InputStream in;
            if (name.endsWith(".tgz") || name.endsWith(".tar.gz")) {
                // The JDK's inflater is native zlib: about three times faster here than a Java one.
                in = new java.util.zip.GZIPInputStream(raw, 1 << 16);
            } else if (name.endsWith(".tar.xz")) {
                in = new XZCompressorInputStream(raw);
            } else {
                throw new UserError("cannot unpack " + name + ": expected .tgz, .tar.gz or .tar.xz");
            }
            unpack(in, dest, stripComponents, name);
        }
    }

    /**
     * Unpacks an uncompressed tar stream into {@code dest} (created if needed).
     *
     * @param what names the archive in error messages
     */
    public static void unpack(InputStream tar, Path dest, int stripComponents, String what) throws IOException, UserError {
        unpack(tar, dest, stripComponents, what, Limits.DEFAULT);
    }

    /** Unpacks an uncompressed tar stream into {@code dest} (created if needed), within {@code limits}. */
    public static void unpack(InputStream tar, Path dest, int stripComponents, String what, Limits limits)
            throws IOException, UserError {
        Files.createDirectories(dest);
        Path root = dest.toRealPath();
        List<Object[]> dirTimes = new ArrayList<>();
        // Directories this unpacking created or resolved, known to be real directories under root. A symlink entry
        // can replace an empty one, so every symlink entry forgets them all (CPython's sources have a handful).
        Set<Path> realDirs = new HashSet<>();
        realDirs.add(root);
        TarArchiveInputStream in = new TarArchiveInputStream(tar);
        TarArchiveEntry e;
        long written = 0;
        int count = 0;
        byte[] buffer = new byte[1 << 16];
        while ((e = in.getNextEntry()) != null) {
            String entryName = e.getName();
            if (++count > limits.entries()) {
                throw new UserError(what + ": more than " + limits.entries() + " entries (a CPython runtime has about "
                        + "2,000 and a source tree about 5,000): not unpacked further; it is not a CPython archive");
            }
            String control = Chars.controlProblem(entryName + (e.isSymbolicLink() || e.isLink() ? e.getLinkName() : ""));
            if (control != null) {
                throw new UserError(what + ": refusing entry '" + Chars.shown(entryName) + "': " + control
                        + " in its name or link target");
            }
            if (e.isSparse()) {
                throw new UserError(what + ": refusing entry '" + entryName + "': a sparse file (a small archive "
                        + "entry that unpacks to a large file of zeros); no CPython archive has one");
            }
            if (entryName.startsWith("/") || List.of(entryName.split("/")).contains("..")) {
                throw new UserError(what + ": refusing entry '" + entryName + "': absolute paths and '..' are not allowed");
            }
            String[] parts = entryName.split("/+");
            if (parts.length <= stripComponents || (parts.length == stripComponents + 1 && parts[stripComponents].isEmpty())) {
                continue;
            }
            Path target = root.resolve(String.join("/", List.of(parts).subList(stripComponents, parts.length))).normalize();
            if (!target.startsWith(root)) {
                throw new UserError(what + ": refusing entry '" + entryName + "': it would land outside " + root);
            }
            if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
                throw new UserError(what + ": refusing entry '" + entryName + "': device files and FIFOs are not allowed");
            }
            Path parent = target.getParent();
            if (!realDirs.contains(parent)) {
                Files.createDirectories(parent);
                // Judge by where the parent really is: an earlier symlink may have redirected it.
                Path real = parent.toRealPath();
                if (!real.startsWith(root)) {
                    throw new UserError(what + ": refusing entry '" + entryName + "': it would land outside " + root
                            + " through a symlink");
                }
                if (real.equals(parent)) {
                    realDirs.add(parent);
                }
                parent = real;
            }
            target = parent.resolve(target.getFileName());
            if (Files.isSymbolicLink(target) && !e.isSymbolicLink()) {
                throw new UserError(what + ": refusing entry '" + entryName + "': an earlier entry made it a symlink");
            }
            if (e.isDirectory()) {
                Files.createDirectories(target);
                dirTimes.add(new Object[] {target, e.getLastModifiedTime()});
                setMode(target, e.getMode() | 0700);
            } else if (e.isSymbolicLink()) {
                Path link = Path.of(e.getLinkName());
                if (link.isAbsolute() || !staysInside(root, parent, e.getLinkName())) {
                    throw new UserError(what + ": refusing symlink '" + entryName + "' -> '" + e.getLinkName()
                            + "': it points outside the archive");
                }
                Files.deleteIfExists(target);
                Files.createSymbolicLink(target, link);
                realDirs.clear();
                realDirs.add(root);
            } else if (e.isLink()) {
                String[] lp = e.getLinkName().split("/+");
                if (lp.length <= stripComponents || e.getLinkName().startsWith("/") || List.of(lp).contains("..")) {
                    throw new UserError(what + ": refusing hard link '" + entryName + "' -> '" + e.getLinkName() + "'");
                }
                Path source = root.resolve(String.join("/", List.of(lp).subList(stripComponents, lp.length))).normalize();
                if (!source.startsWith(root) || !Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)
                        || !source.getParent().toRealPath().startsWith(root)) {
                    throw new UserError(what + ": refusing hard link '" + entryName + "' -> '" + e.getLinkName()
                            + "': its target is not a file unpacked before it");
                }
                Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            } else if (e.isFile()) {
                long entryWritten = 0;
                // Never through a link: an earlier check refuses a symlink here, and this one holds if that ever slips.
                try (java.io.OutputStream out = Files.newOutputStream(target, java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS)) {
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        entryWritten += n;
                        written += n;
                        if (entryWritten > limits.entryBytes() || written > limits.totalBytes()) {
                            break;
                        }
                        out.write(buffer, 0, n);
                    }
                }
                if (entryWritten > limits.entryBytes()) {
                    Files.delete(target);
                    throw new UserError(what + ": refusing entry '" + entryName + "': it unpacks to more than "
                            + mib(limits.entryBytes()) + " (the largest file of a CPython runtime is tens of MiB)");
                }
                if (written > limits.totalBytes()) {
                    Files.delete(target);
                    throw new UserError(what + ": unpacks to more than " + mib(limits.totalBytes()) + " (a CPython "
                            + "runtime is at most a few hundred MiB): stopped at entry '" + entryName + "'");
                }
                setMode(target, e.getMode());
                Files.setLastModifiedTime(target, e.getLastModifiedTime());
            } else {
                throw new UserError(what + ": refusing entry '" + entryName + "' of an unsupported type");
            }
        }
        // Directory times last: writing their contents changed them.
        for (int i = dirTimes.size() - 1; i >= 0; i--) {
            Files.setLastModifiedTime((Path) dirTimes.get(i)[0], (FileTime) dirTimes.get(i)[1]);
        }
    }

    private static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }

    /**
     * Whether a symlink target, followed the way the kernel does (each existing link along the way resolved before
     * a later {@code ..} applies), stays inside {@code root}.
     */
    static boolean staysInside(Path root, Path parentReal, String linkTarget) {
        Path cur = parentReal;
        for (String part : linkTarget.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                cur = cur.getParent();
            } else {
                cur = cur.resolve(part);
                if (Files.isSymbolicLink(cur)) {
                    try {
                        cur = cur.toRealPath();
                    } catch (IOException dangling) {
                        return false;
                    }
                }
            }
            if (cur == null || !cur.startsWith(root)) {
                return false;
            }
        }
        return true;
    }

    static void setMode(Path p, int mode) throws IOException {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                perms.add(order[bit]);
            }
        }
        perms.add(PosixFilePermission.OWNER_READ);
        perms.add(PosixFilePermission.OWNER_WRITE);
        Files.setPosixFilePermissions(p, perms);
    }
}
