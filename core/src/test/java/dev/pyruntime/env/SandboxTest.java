package dev.pyruntime.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox's bounds on this machine, with real bubblewrap: what a confined program may see, write and take. The
 * hostile interpreter of {@code UntrustedArchiveTest} proves the rest through verify.
 */
class SandboxTest {
    @TempDir
    Path tmp;

    private final Sandbox sandbox = sandbox();

    private static Sandbox sandbox() {
        try {
            return Sandbox.of(new HostEnvironment(HostInfo.detect()));
        } catch (Unavailable e) {
            throw new AssertionError("bubblewrap must work here (.ci/run installs it): " + e.getMessage(), e);
        }
    }

    private ExecResult sh(String script, Path readOnly, List<Path> writable) throws Exception {
        return sandbox.confine(readOnly, writable).run(List.of("sh", "-c", script), Map.of(), Path.of("/"));
    }

    @Test
    void onlyTheScratchDirectoryIsWritableAndTheTreeIsReadOnly() throws Exception {
        Path tree = Files.createDirectories(tmp.resolve("tree"));
        Files.writeString(tree.resolve("in-the-tree"), "readable\n");
        Path scratch = Files.createDirectories(tmp.resolve("scratch"));
        ExecResult r = sh("cat " + tree.resolve("in-the-tree") + "; echo made > " + scratch.resolve("made")
                + "; echo x > " + tree.resolve("x") + " || echo tree-read-only; ls " + System.getProperty("user.home")
                + " >/dev/null 2>&1 || echo no-home; ls /work /root 2>/dev/null | wc -l", tree, List.of(scratch));
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals(List.of("readable", "tree-read-only", "no-home", "0"), r.stdout().lines().toList(), r.stderr());
        assertEquals("made\n", Files.readString(scratch.resolve("made")));
        assertFalse(Files.exists(tree.resolve("x")));
    }

    @Test
    void aTreeWhoseModesLetOthersWriteIsMadeReadOnlyForThemBeforeAContainerSeesIt() throws Exception {
        // In a container the tree is on a writable mount: a crafted archive's 0777 directory would let the confined
        // user write there.
        Path tree = Files.createDirectories(tmp.resolve("tree/lib"));
        Files.writeString(tree.resolve("open"), "x");
        Files.setPosixFilePermissions(tree, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(tree.resolve("open"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        Sandbox.withoutWriteForOthers(tmp.resolve("tree"));
        assertEquals("rwxr-xr-x", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(tree)));
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(tree.resolve("open"))));
    }

    @Test
    void thereIsNoNetworkNotEvenLoopback() throws Exception {
        ExecResult r = sh("cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d ' '", null, List.of());
        assertEquals(List.of("lo"), r.stdout().lines().toList(), "only a loopback of its own: " + r.stdout());
    }

    @Test
    void aProgramThatRunsTooLongIsStopped() throws Exception {
        long start = System.nanoTime();
        ExecResult r = sandbox.withSeconds(1).confine(null, List.of()).run(List.of("sleep", "120"), Map.of(),
                Path.of("/"));
        assertEquals(Sandbox.TIMED_OUT, r.exitCode(), r.stderr());
        assertTrue(System.nanoTime() - start < 60_000_000_000L, "stopped long before sleep's 120 s");
    }

    @Test
    void outputWithoutEndIsBoundedNotKeptWhole() throws Exception {
        ExecResult r = sh("head -c 40000000 /dev/zero", null, List.of());
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().length() <= HostEnvironment.MAX_OUTPUT + 100, "kept " + r.stdout().length());
        assertTrue(r.stdout().endsWith("(" + (40_000_000 - HostEnvironment.MAX_OUTPUT) + " more bytes not kept)"));
    }

    @Test
    void aRootCallerRunsItAsNobodyWithoutCapabilities() throws Exception {
        ExecResult r = sh("id -u; grep CapEff /proc/self/status", null, List.of());
        if (Sandbox.callerIsRoot()) {
            assertEquals(List.of(Integer.toString(Sandbox.NOBODY), "CapEff:\t0000000000000000"), r.stdout().lines().toList());
        } else {
            assertFalse(r.stdout().startsWith("0\n"), r.stdout());
        }
    }
}
