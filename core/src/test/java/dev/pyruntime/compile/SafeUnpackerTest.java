package dev.pyruntime.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyruntime.UserError;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeUnpackerTest {

    private static byte[] tar(Consumer<TarArchiveOutputStream> body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            body.accept(out);
        }
        return bytes.toByteArray();
    }

    private static void file(TarArchiveOutputStream out, String name, String content, int mode) {
        try {
            TarArchiveEntry e = new TarArchiveEntry(name);
            byte[] data = content.getBytes(StandardCharsets.UTF_8);
            e.setSize(data.length);
            e.setMode(mode);
            e.setModTime(FileTime.fromMillis(1_000_000_000_000L));
            out.putArchiveEntry(e);
            out.write(data);
            out.closeArchiveEntry();
        } catch (IOException x) {
            throw new java.io.UncheckedIOException(x);
        }
    }

    private static void link(TarArchiveOutputStream out, String name, String target, byte type) {
        try {
            TarArchiveEntry e = new TarArchiveEntry(name, type);
            e.setLinkName(target);
            out.putArchiveEntry(e);
            out.closeArchiveEntry();
        } catch (IOException x) {
            throw new java.io.UncheckedIOException(x);
        }
    }

    private static void unpack(byte[] tar, Path dest) throws Exception {
        SafeUnpacker.unpack(new ByteArrayInputStream(tar), dest, 1, "t.tar");
    }

    @Test
    void keepsModesTimesAndStripsTheTopDirectory(@TempDir Path dir) throws Exception {
        unpack(tar(out -> {
            file(out, "Python-3.11.2/configure", "#!/bin/sh\n", 0755);
            file(out, "Python-3.11.2/Include/Python.h", "x", 0644);
            link(out, "Python-3.11.2/Include/alias.h", "Python.h", TarConstants.LF_SYMLINK);
        }), dir);
        Path configure = dir.resolve("configure");
        assertTrue(Files.isExecutable(configure));
        assertEquals(1_000_000_000_000L, Files.getLastModifiedTime(configure).toMillis());
        assertEquals("x", Files.readString(dir.resolve("Include/alias.h")));
    }

    @Test
    void refusesParentPaths(@TempDir Path dir) {
        UserError e = assertThrows(UserError.class, () -> unpack(tar(out -> file(out, "p/../../evil", "x", 0644)), dir));
        assertEquals("t.tar: refusing entry 'p/../../evil': absolute paths and '..' are not allowed", e.getMessage());
        assertFalse(Files.exists(dir.getParent().resolve("evil")));
    }

    @Test
    void absolutePathsStayInside(@TempDir Path dir) throws Exception {
        // commons-compress reads "/p/evil" as "p/evil": it can only land inside the destination.
        Path dest = dir.resolve("dest");
        unpack(tar(out -> file(out, "/p/evil", "x", 0644)), dest);
        assertTrue(Files.exists(dest.resolve("evil")));
    }

    @Test
    void refusesLinksThatEscape(@TempDir Path dir) {
        UserError e = assertThrows(UserError.class, () -> unpack(tar(out ->
                link(out, "p/passwd", "../../etc/passwd", TarConstants.LF_SYMLINK)), dir));
        assertTrue(e.getMessage().contains("points outside the archive"), e.getMessage());
        assertThrows(UserError.class, () -> unpack(tar(out -> link(out, "p/abs", "/etc/passwd", TarConstants.LF_SYMLINK)), dir));
    }

    @Test
    void refusesWritingThroughAnEarlierSymlink(@TempDir Path dir) throws Exception {
        // A link to a sibling directory is fine, but a later entry may not use it to write elsewhere.
        assertThrows(UserError.class, () -> unpack(tar(out -> {
            link(out, "p/up", "..", TarConstants.LF_SYMLINK);
            file(out, "p/up/../x", "x", 0644);
        }), dir));
    }

    @Test
    void judgesLinksFromWhereTheirDirectoryReallyIs(@TempDir Path dir) {
        // "x" is the destination itself, so "x/e -> .." would point one level above it.
        UserError e = assertThrows(UserError.class, () -> unpack(tar(out -> {
            link(out, "p/x", ".", TarConstants.LF_SYMLINK);
            link(out, "p/x/e", "..", TarConstants.LF_SYMLINK);
        }), dir.resolve("dest")));
        assertTrue(e.getMessage().contains("points outside the archive"), e.getMessage());
    }

    @Test
    void followsEarlierLinksLikeTheKernelDoes(@TempDir Path dir) {
        // "s -> .." is inside; "t -> s/../.." looks like "a" on paper but really is the destination's parent.
        UserError e = assertThrows(UserError.class, () -> unpack(tar(out -> {
            link(out, "p/a/b/s", "..", TarConstants.LF_SYMLINK);
            link(out, "p/a/b/t", "s/../..", TarConstants.LF_SYMLINK);
        }), dir.resolve("dest")));
        assertTrue(e.getMessage().contains("refusing symlink 'p/a/b/t'"), e.getMessage());
    }

    @Test
    void refusesADirectoryOrFileEntryThatAnEarlierLinkOccupies(@TempDir Path dir) {
        UserError e = assertThrows(UserError.class, () -> unpack(tar(out -> {
            link(out, "p/d", "sub", TarConstants.LF_SYMLINK);
            file(out, "p/d", "x", 0644);
        }), dir.resolve("dest")));
        assertTrue(e.getMessage().contains("an earlier entry made it a symlink"), e.getMessage());
    }

    @Test
    void refusesDevices(@TempDir Path dir) {
        UserError e = assertThrows(UserError.class, () -> unpack(tar(out -> {
            try {
                TarArchiveEntry dev = new TarArchiveEntry("p/null", TarConstants.LF_CHR);
                out.putArchiveEntry(dev);
                out.closeArchiveEntry();
            } catch (IOException x) {
                throw new java.io.UncheckedIOException(x);
            }
        }), dir));
        assertTrue(e.getMessage().contains("device files"), e.getMessage());
    }

    // ------------------------------------------------------------ hostile sizes and names (issue 20)

    /** GNU tar's own sparse entry: 4 GiB of holes in a few hundred bytes. Refused before a byte is written. */
    @Test
    void aSparseEntryIsRefusedBeforeAnythingIsWritten(@TempDir Path tmp) throws Exception {
        Path holes = tmp.resolve("src/holes");
        Files.createDirectories(holes.getParent());
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(holes.toFile(), "rw")) {
            f.setLength(4L << 30);
        }
        Path tar = tmp.resolve("sparse.tar");
        Process p = new ProcessBuilder("tar", "--sparse", "-cf", tar.toString(), "-C", holes.getParent().toString(), "holes")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(Files.size(tar) < 100_000, "GNU tar wrote a sparse entry: " + Files.size(tar) + " bytes");
        Path dest = tmp.resolve("out");
        UserError e = assertThrows(UserError.class, () -> unpack(Files.readAllBytes(tar), dest));
        assertTrue(e.getMessage().contains("refusing entry 'holes': a sparse file"), e.getMessage());
        assertFalse(Files.exists(dest.resolve("holes")));
    }

    /** A zstd bomb: a few kB that would unpack to 300 MiB of zeros. Stopped at the per-file limit and removed. */
    @Test
    void aCompressionBombStopsAtTheFileLimit(@TempDir Path tmp) throws Exception {
        ByteArrayOutputStream zst = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(new com.github.luben.zstd.ZstdOutputStream(zst, 19))) {
            TarArchiveEntry e = new TarArchiveEntry("python/lib/bomb");
            e.setSize(300L << 20);
            out.putArchiveEntry(e);
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 300; i++) {
                out.write(zeros);
            }
            out.closeArchiveEntry();
        }
        assertTrue(zst.size() < 100_000, "a bomb: " + zst.size() + " bytes");
        Path dest = tmp.resolve("out");
        UserError e = assertThrows(UserError.class, () -> SafeUnpacker.unpack(
                new com.github.luben.zstd.ZstdInputStream(new ByteArrayInputStream(zst.toByteArray())), dest, 0, "bomb.tar.zst"));
        assertTrue(e.getMessage().contains("refusing entry 'python/lib/bomb': it unpacks to more than 256 MiB"), e.getMessage());
        assertFalse(Files.exists(dest.resolve("python/lib/bomb")), "the partial file is removed");
    }

    @Test
    void theTotalAndTheEntryCountAreCountedAsWritten(@TempDir Path tmp) throws Exception {
        String kb = "x".repeat(500);
        byte[] twoFiles = tar(out -> {
            file(out, "a", kb, 0644);
            file(out, "b", kb, 0644);
        });
        UserError total = assertThrows(UserError.class, () -> SafeUnpacker.unpack(new ByteArrayInputStream(twoFiles),
                tmp.resolve("total"), 0, "t.tar", new SafeUnpacker.Limits(800, 600, 10)));
        assertTrue(total.getMessage().contains("stopped at entry 'b'"), total.getMessage());
        assertFalse(Files.exists(tmp.resolve("total/b")));
        byte[] fourEntries = tar(out -> {
            for (String n : new String[] {"a", "b", "c", "d"}) {
                file(out, n, "", 0644);
            }
        });
        UserError many = assertThrows(UserError.class, () -> SafeUnpacker.unpack(new ByteArrayInputStream(fourEntries),
                tmp.resolve("many"), 0, "m.tar", new SafeUnpacker.Limits(800, 600, 3)));
        assertTrue(many.getMessage().contains("more than 3 entries"), many.getMessage());
        // The defaults leave room for real trees many times over.
        assertEquals(new SafeUnpacker.Limits(1L << 30, 256L << 20, 50_000), SafeUnpacker.Limits.DEFAULT);
    }

    /** A NUL in a PAX path ended verify with InvalidPathException; now it is a refusal that names the character. */
    @Test
    void aControlCharacterInANameIsRefusedByName(@TempDir Path tmp) throws Exception {
        // Longer than ustar's 100 bytes, so the name travels in a PAX 'path' record, where a NUL survives.
        String dir = "python/" + "d".repeat(100);
        byte[] nul = tar(out -> file(out, dir + "/a\u0000b", "", 0644));
        UserError e = assertThrows(UserError.class, () -> unpack(nul, tmp.resolve("out")));
        assertTrue(e.getMessage().contains("refusing entry '" + dir + "/a<U+0000>b': the character U+0000 (a NUL)"),
                e.getMessage());
        byte[] newline = tar(out -> file(out, "python/bin/a\nb", "", 0644));
        UserError e2 = assertThrows(UserError.class, () -> unpack(newline, tmp.resolve("out2")));
        assertTrue(e2.getMessage().contains("U+000A"), e2.getMessage());
    }
}
