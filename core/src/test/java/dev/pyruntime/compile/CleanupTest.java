package dev.pyruntime.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CleanupTest {

    @Test
    void appliesTheCatalogsRules(@TempDir Path tree) throws Exception {
        for (String f : List.of("bin/python3.11", "bin/idle3", "bin/idle3.11", "bin/pydoc3", "lib/libpython3.11.so",
                "lib/python3.11/os.py", "lib/python3.11/__pycache__/os.cpython-311.pyc", "lib/python3.11/test/a.py",
                "lib/python3.11/unittest/test/b.py", "lib/python3.11/unittest/case.py",
                "lib/python3.11/idlelib/idle_test/c.py", "lib/python3.11/config-3.11-x86_64-linux-gnu/libpython3.11.a",
                "lib/python3.11/config-3.11-x86_64-linux-gnu/python.o", "lib/python3.11/config-3.11-x86_64-linux-gnu/Makefile",
                "lib/python3.11/tests.py", "test/keep-top-level-file-named-test-dir-only")) {
            Files.createDirectories(tree.resolve(f).getParent());
            Files.writeString(tree.resolve(f), "x");
        }
        List<String> removed = Cleanup.apply(tree, List.of("**/test/", "**/tests/", "**/idle_test/", "**/__pycache__/",
                "**/libpython*.a", "lib/python*/config-*/python.o", "bin/idle*", "bin/pydoc*"));
        assertEquals(List.of("bin/idle3", "bin/idle3.11", "bin/pydoc3",
                "lib/python3.11/__pycache__", "lib/python3.11/config-3.11-x86_64-linux-gnu/libpython3.11.a",
                "lib/python3.11/config-3.11-x86_64-linux-gnu/python.o",
                "lib/python3.11/idlelib/idle_test", "lib/python3.11/test", "lib/python3.11/unittest/test", "test"), removed);
        assertTrue(Files.exists(tree.resolve("lib/python3.11/tests.py")), "a file is not a directory rule's match");
        assertTrue(Files.exists(tree.resolve("lib/python3.11/unittest/case.py")));
        assertTrue(Files.exists(tree.resolve("bin/python3.11")));
        assertTrue(Files.exists(tree.resolve("lib/python3.11/config-3.11-x86_64-linux-gnu/Makefile")));
    }

    @Test
    void doubleStarMatchesNoDirectoryToo() {
        Cleanup.Rule rule = Cleanup.Rule.of("lib/**/test/");
        assertTrue(rule.matches(Path.of("lib/test"), true));
        assertTrue(rule.matches(Path.of("lib/python3.11/unittest/test"), true));
        assertTrue(!rule.matches(Path.of("lib/test"), false), "directories only");
        assertTrue(!rule.matches(Path.of("libx/test"), true));
        assertTrue(Cleanup.Rule.of("bin/idle*").matches(Path.of("bin/idle3.11"), false));
        assertTrue(!Cleanup.Rule.of("bin/idle*").matches(Path.of("bin/idle/x"), false), "* stays in one name");
        assertTrue(Cleanup.Rule.of("lib/python3.1?/x.py").matches(Path.of("lib/python3.11/x.py"), false));
    }

    @Test
    void neverFollowsLinksOutOfTheTree(@TempDir Path dir) throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("precious"), "x");
        Path tree = Files.createDirectories(dir.resolve("tree/lib"));
        Files.createSymbolicLink(tree.resolve("test"), outside);
        Cleanup.apply(dir.resolve("tree"), List.of("**/test"));
        assertTrue(Files.exists(outside.resolve("precious")));
        assertTrue(!Files.exists(tree.resolve("test"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }
}
