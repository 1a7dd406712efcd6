package dev.pyruntime.build;

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
}
