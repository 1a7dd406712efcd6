package dev.pyruntime.archive;

import static dev.pyruntime.Commands.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdInputStream;
import dev.pyruntime.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarZstTest {
    static final FileTime EPOCH_2024 = FileTime.from(1_704_067_200L, TimeUnit.SECONDS);
    static final String LONG_DIR = "lib/" + "a-rather-long-directory-name-".repeat(4) + "end";

    @TempDir
    Path tmp;

    /** A small tree with what a runtime has: executables, a symlink, an empty directory, a long path, UTF-8 names. */
    private Path tree(String name) throws IOException {
        Path root = tmp.resolve(name);
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("lib/empty"));
        Files.createDirectories(root.resolve(LONG_DIR));
        Files.writeString(root.resolve("bin/python3.11"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(root.resolve("bin/python3.11"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.createSymbolicLink(root.resolve("bin/python3"), Path.of("python3.11"));
        Files.writeString(root.resolve("lib/os.py"), "import sys\n".repeat(1000));
        Files.setPosixFilePermissions(root.resolve("lib/os.py"), PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.writeString(root.resolve(LONG_DIR + "/mod.py"), "x = 1\n");
        Files.writeString(root.resolve("lib/caf\u00e9.txt"), "na\u00efve\n");
        return root;
    }

    private static TarZst.Written pack(Path root, Path out) throws IOException {
        return TarZst.write(root, out, new TarZst.Settings(EPOCH_2024, 19, 27));
    }

    @Test
    void theSameTreeGivesTheSameBytesWhateverTheFilesTimesOrCreationOrder() throws IOException {
        Path a = tree("a");
        Path b = tree("b");
        Files.setLastModifiedTime(b.resolve("lib/os.py"), FileTime.fromMillis(0));
        TarZst.Written first = pack(a, tmp.resolve("a.tar.zst"));
        TarZst.Written second = pack(b, tmp.resolve("b.tar.zst"));
        assertArrayEquals(Files.readAllBytes(first.file()), Files.readAllBytes(second.file()));
        assertEquals(Sha256.of(first.file()), first.sha256());
        assertEquals(Files.size(first.file()), first.size());
        assertEquals(9, first.entries());
    }

    @Test
    void entriesAreSortedOwnedByRootWithNormalisedModesAndOneTime() throws IOException {
        Path out = tmp.resolve("x.tar.zst");
        pack(tree("x"), out);
        List<String> names = new ArrayList<>();
        try (InputStream in = new ZstdInputStream(Files.newInputStream(out));
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                names.add(e.getName());
                assertEquals(0, e.getLongUserId());
                assertEquals(0, e.getLongGroupId());
                assertEquals("", e.getUserName());
                assertEquals("", e.getGroupName());
                assertEquals(EPOCH_2024, e.getLastModifiedTime(), e.getName());
                int mode = e.getMode() & 07777;
                if (e.isSymbolicLink()) {
                    assertEquals("python3.11", e.getLinkName());
                } else if (e.isDirectory() || e.getName().equals("bin/python3.11")) {
                    assertEquals(0755, mode, e.getName());
                } else {
                    assertEquals(0644, mode, e.getName());
                }
                // Only long or non-ASCII names need pax headers; no access or change times leak in.
                assertFalse(e.getExtraPaxHeaders().containsKey("atime"), e.getName());
                assertFalse(e.getExtraPaxHeaders().containsKey("ctime"), e.getName());
            }
        }
        List<String> sorted = new ArrayList<>(names);
        sorted.sort((x, y) -> java.util.Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8)));
        assertEquals(sorted, names);
        assertTrue(names.contains(LONG_DIR + "/mod.py"), names.toString());
        assertTrue(names.contains("lib/caf\u00e9.txt"), names.toString());
    }

    @Test
    void stockTarAndZstdReadItWithoutExtraFlags() throws Exception {
        Path out = tmp.resolve("stock.tar.zst");
        Path root = tree("stock");
        pack(root, out);
        Path dest = Files.createDirectories(tmp.resolve("unpacked"));
        run(List.of("tar", "--zstd", "-xf", out.toString(), "-C", dest.toString()));
        assertEquals(Files.readString(root.resolve(LONG_DIR + "/mod.py")), Files.readString(dest.resolve(LONG_DIR + "/mod.py")));
        assertEquals("python3.11", Files.readSymbolicLink(dest.resolve("bin/python3")).toString());
        assertTrue(Files.isExecutable(dest.resolve("bin/python3.11")));
        assertEquals("na\u00efve\n", Files.readString(dest.resolve("lib/caf\u00e9.txt")));
        run(List.of("zstd", "-q", "-t", out.toString()));
        run(List.of("zstd", "-q", "-d", out.toString(), "-o", tmp.resolve("stock.tar").toString()));
        String listing = run(List.of("tar", "-tvf", tmp.resolve("stock.tar").toString()));
        assertTrue(listing.contains("0/0"), listing);
    }

    @Test
    void aFailedWriteLeavesNeitherTheArchiveNorATempFile() throws IOException {
        Path root = tree("bad");
        Files.createDirectories(root.resolve("fifo-dir"));
        run(List.of("mkfifo", root.resolve("fifo-dir/pipe").toString()));
        Path out = tmp.resolve("out/bad.tar.zst");
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> pack(root, out));
        assertTrue(e.getMessage().contains("pipe"), e.getMessage());
        try (var left = Files.list(out.getParent())) {
            assertEquals(List.of(), left.toList());
        }
    }
}
