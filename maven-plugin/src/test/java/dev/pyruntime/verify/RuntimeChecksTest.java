package dev.pyruntime.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyruntime.env.HostEnvironment;
import dev.pyruntime.env.HostInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embed check's own logic, with the host's real cc, against a small stand-in libpython (a real libpython is
 * embedded by the ITs that verify a built runtime).
 */
class RuntimeChecksTest {
    @TempDir
    Path work;
    Path root;
    final RuntimeChecks checks = new RuntimeChecks(new HostEnvironment(HostInfo.detect()));

    @BeforeEach
    void tree() throws IOException {
        root = work.resolve("verify");
        Files.createDirectories(root.resolve("include/python3.11"));
        Files.createDirectories(root.resolve("lib"));
        Files.write(root.resolve("include/python3.11/Python.h"), resource("stub-Python.h"));
    }

    private void library(String version) throws Exception {
        Path src = work.resolve("stub-libpython.c");
        Files.write(src, resource("stub-libpython.c"));
        Process p = new ProcessBuilder("cc", "-shared", "-fPIC", "-DSTUB_VERSION=\"" + version + "\"",
                "-I" + root.resolve("include/python3.11"), "-o", root.resolve("lib/libpython3.11.so").toString(),
                src.toString()).inheritIO().start();
        assertEquals(0, p.waitFor());
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = RuntimeChecksTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void passesWhenTheLibraryStartsTheRightVersionFromTheTree() throws Exception {
        library("3.11.2");
        Check c = checks.embed("3.11.2", "3.11", root, List.of("json", "_ssl"));
        assertEquals(Check.Status.PASS, c.status(), c.detail());
        assertEquals("lib/libpython3.11.so started 3.11.2 and imported 2 modules", c.detail());
        assertTrue(Files.isExecutable(work.resolve("verify-embed/embed")), "the program is kept beside the tree");
    }

    @Test
    void failsOnAnotherVersionOrAModuleThatDoesNotImport() throws Exception {
        library("3.11.1");
        Check other = checks.embed("3.11.2", "3.11", root, List.of("json"));
        assertEquals(Check.Status.FAIL, other.status());
        assertEquals("the program built against lib/libpython3.11.so printed 'embedded 3.11.1 " + root
                + "' (exit 0), expected 'embedded 3.11.2 " + root + "': ", other.detail());

        library("3.11.2");
        Check missing = checks.embed("3.11.2", "3.11", root, List.of("json", "missing"));
        assertEquals(Check.Status.FAIL, missing.status());
        assertTrue(missing.detail().contains("(exit 1)") && missing.detail().endsWith(
                "cannot import missing:\nModuleNotFoundError: No module named 'missing'"), missing.detail());
    }

    @Test
    void failsWithoutTheLibraryOrWhenItsHeadersDoNotCompile() throws Exception {
        Check none = checks.embed("3.11.2", "3.11", root, List.of("json"));
        assertEquals(Check.Status.FAIL, none.status());
        assertEquals("lib/libpython3.11.so is missing: the plan configures --enable-shared, so the archive must ship "
                + "it for applications that embed Python", none.detail());

        library("3.11.2");
        Files.writeString(root.resolve("include/python3.11/Python.h"), "#error broken header\n");
        Check broken = checks.embed("3.11.2", "3.11", root, List.of("json"));
        assertEquals(Check.Status.FAIL, broken.status());
        assertTrue(broken.detail().startsWith("cc could not build a program against lib/libpython3.11.so (exit 1): ")
                && broken.detail().contains("broken header"), broken.detail());
    }
}
