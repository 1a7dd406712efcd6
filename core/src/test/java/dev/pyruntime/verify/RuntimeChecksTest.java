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
 * The embed check's own logic, with the host's real cc and pkg-config, against a small stand-in libpython and its
 * relocatable {@code .pc} file, in a tree whose path has a space (a real libpython is embedded by the ITs that verify a
 * built runtime).
 */
class RuntimeChecksTest {
    @TempDir
    Path work;
    Path root;
    final RuntimeChecks checks = new RuntimeChecks(new HostEnvironment(HostInfo.detect()));

    @BeforeEach
    void tree() throws IOException {
        root = work.resolve("un packed/verify");
        Files.createDirectories(root.resolve("include/python3.11"));
        Files.createDirectories(root.resolve("lib/pkgconfig"));
        Files.write(root.resolve("include/python3.11/Python.h"), resource("stub-Python.h"));
        Files.writeString(root.resolve("lib/pkgconfig/python-3.11-embed.pc"), """
                prefix=${pcfiledir}/../..
                libdir=${prefix}/lib
                includedir=${prefix}/include

                Name: Python
                Description: Embed Python into an application
                Version: 3.11
                Libs: -L${libdir} -lpython3.11
                Cflags: -I${includedir}/python3.11
                """);
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
        Check c = checks.embed("3.11.2", "3.11", "3.11", root, List.of("json", "_ssl"));
        assertEquals(Check.Status.PASS, c.status(), c.detail());
        assertTrue(c.detail().startsWith("pkg-config: -I" + root.toString().replace(" ", "\\ ")), c.detail());
        assertTrue(c.detail().endsWith("; started 3.11.2 and imported 2 modules"), c.detail());
        assertTrue(Files.isExecutable(work.resolve("un packed/verify-embed/embed")), "the program is kept beside the tree");
    }

    @Test
    void failsOnAnotherVersionOrAModuleThatDoesNotImport() throws Exception {
        library("3.11.1");
        Check other = checks.embed("3.11.2", "3.11", "3.11", root, List.of("json"));
        assertEquals(Check.Status.FAIL, other.status());
        assertEquals("the program built from pkg-config's python-3.11-embed printed 'embedded 3.11.1 " + root
                + "' (exit 0), expected 'embedded 3.11.2 " + root + "': ", other.detail());

        library("3.11.2");
        Check missing = checks.embed("3.11.2", "3.11", "3.11", root, List.of("json", "missing"));
        assertEquals(Check.Status.FAIL, missing.status());
        assertTrue(missing.detail().contains("(exit 1)") && missing.detail().endsWith(
                "cannot import missing:\nModuleNotFoundError: No module named 'missing'"), missing.detail());
    }

    @Test
    void failsWithoutTheLibraryThePcFileOrWhenItsHeadersDoNotCompile() throws Exception {
        Check none = checks.embed("3.11.2", "3.11", "3.11", root, List.of("json"));
        assertEquals(Check.Status.FAIL, none.status());
        assertEquals("lib/libpython3.11.so is missing: the plan configures --enable-shared, so the archive must ship "
                + "it for applications that embed Python", none.detail());

        library("3.11.2");
        Files.writeString(root.resolve("include/python3.11/Python.h"), "#error broken header\n");
        Check broken = checks.embed("3.11.2", "3.11", "3.11", root, List.of("json"));
        assertEquals(Check.Status.FAIL, broken.status());
        assertTrue(broken.detail().startsWith("cc -I") && broken.detail().contains(" failed (exit 1): ")
                && broken.detail().contains("broken header"), broken.detail());

        Files.delete(root.resolve("lib/pkgconfig/python-3.11-embed.pc"));
        Check noPc = checks.embed("3.11.2", "3.11", "3.11", root, List.of("json"));
        assertEquals("lib/pkgconfig/python-3.11-embed.pc is missing", noPc.detail());
    }

    @Test
    void pkgConfigWordsKeepEscapedSpaces() {
        assertEquals(List.of("-I/a b/include", "-L/c", "-lpython3.11"),
                RuntimeChecks.shellWords("-I/a\\ b/include  -L/c\t-lpython3.11\n"));
    }
}
