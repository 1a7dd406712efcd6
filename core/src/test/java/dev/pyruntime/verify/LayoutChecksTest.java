package dev.pyruntime.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayoutChecksTest {
    @TempDir
    Path root;

    /** A pyc header: magic, flags, then 8 bytes (hash or mtime and size). */
    private Path pyc(String rel, int flags) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        byte[] b = new byte[32];
        b[0] = (byte) 0xa7;
        b[1] = 0x0d;
        b[2] = 0x0d;
        b[3] = 0x0a;
        b[4] = (byte) flags;
        Files.write(p, b);
        return p;
    }

    @Test
    void acceptsOnlyUncheckedHashPycsBesideTheirSource() throws IOException {
        Files.createDirectories(root.resolve("lib"));
        Files.writeString(root.resolve("lib/os.py"), "");
        assertNull(LayoutChecks.pycProblem(pyc("lib/__pycache__/os.cpython-311.pyc", 1)));
        assertEquals("flags 0, not an unchecked-hash pyc (1)", LayoutChecks.pycProblem(pyc("lib/__pycache__/os.cpython-311.opt-1.pyc", 0)));
        assertEquals("flags 3, not an unchecked-hash pyc (1)", LayoutChecks.pycProblem(pyc("lib/__pycache__/os.cpython-311.opt-2.pyc", 3)));
        assertEquals("no source gone.py beside it", LayoutChecks.pycProblem(pyc("lib/__pycache__/gone.cpython-311.pyc", 1)));
        assertEquals("byte-code outside __pycache__", LayoutChecks.pycProblem(pyc("lib/os.pyc", 1)));

        Check c = LayoutChecks.bytecode(root);
        assertTrue(c.failed());
        assertTrue(c.detail().contains("lib/__pycache__/gone.cpython-311.pyc: no source gone.py beside it"), c.detail());
    }
}
