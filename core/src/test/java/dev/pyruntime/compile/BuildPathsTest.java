package dev.pyruntime.compile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildPathsTest {
    @TempDir
    Path tree;

    @Test
    void replacesTheBuildDirectoryInTextFilesKeepingTheirModesAndLeavesBinariesAlone() throws IOException {
        String buildDir = "/home/ci/work/target/python-runtime/3.11.2-debian-12-amd64/build";
        Path sysconfig = tree.resolve("lib/python3.11/_sysconfigdata__linux_x86_64-linux-gnu.py");
        Files.createDirectories(sysconfig.getParent());
        Files.writeString(sysconfig, "build_time_vars = {'abs_builddir': '" + buildDir + "',\n 'CFLAGS': '-ffile-prefix-map="
                + buildDir + "=. -O2'}\n");
        Path script = tree.resolve("bin/python3.11-config");
        Files.createDirectories(script.getParent());
        Files.writeString(script, "#!/bin/sh\n# built in " + buildDir + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        byte[] binary = ("\0ELF" + buildDir).getBytes();
        Path elf = tree.resolve("lib/libpython3.11.so.1.0");
        Files.write(elf, binary);
        Files.writeString(tree.resolve("lib/untouched.txt"), "nothing here\n");

        List<String> rewritten = BuildPaths.rewrite(tree, buildDir, BuildPaths.placeholder("3.11.2-debian-12-amd64"));

        assertEquals(List.of("bin/python3.11-config", "lib/python3.11/_sysconfigdata__linux_x86_64-linux-gnu.py"), rewritten);
        assertEquals("build_time_vars = {'abs_builddir': '/tmp/python-runtime/build/3.11.2-debian-12-amd64',\n 'CFLAGS': "
                + "'-ffile-prefix-map=/tmp/python-runtime/build/3.11.2-debian-12-amd64=. -O2'}\n", Files.readString(sysconfig));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(script)));
        assertArrayEquals(binary, Files.readAllBytes(elf));
        try (var left = Files.list(tree.resolve("lib"))) {
            assertEquals(3, left.count(), "no temp file left behind");
        }
    }

    @Test
    void findsBytes() {
        assertEquals(2, BuildPaths.indexOf("abcab".getBytes(), "cab".getBytes(), 0));
        assertEquals(-1, BuildPaths.indexOf("abcab".getBytes(), "abd".getBytes(), 0));
        assertEquals(3, BuildPaths.indexOf("abcab".getBytes(), "ab".getBytes(), 1));
    }

    /** The streaming search finds a needle wherever it lies, across the 1 MiB chunk boundary too, in bounded memory. */
    @org.junit.jupiter.api.Test
    void fileContainsSearchesInChunksAcrossTheirBoundaries(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        byte[] needle = "/tmp/work/3.11.2-debian-12-amd64".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int mib = 1 << 20;
        for (int at : new int[] {0, mib - needle.length, mib - 5, mib, 3 * mib - needle.length}) {
            byte[] bytes = new byte[3 * mib];
            System.arraycopy(needle, 0, bytes, at, needle.length);
            java.nio.file.Path f = java.nio.file.Files.write(dir.resolve("f" + at), bytes);
            org.junit.jupiter.api.Assertions.assertTrue(BuildPaths.fileContains(f, needle), "at " + at);
        }
        java.nio.file.Path none = java.nio.file.Files.write(dir.resolve("none"), new byte[3 * mib]);
        org.junit.jupiter.api.Assertions.assertFalse(BuildPaths.fileContains(none, needle));
    }
}
