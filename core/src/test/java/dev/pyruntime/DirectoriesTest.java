package dev.pyruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A directory setting that names a file, or a path under one, is refused naming the setting, before any write. */
class DirectoriesTest {
    @Test
    void aFileIsRefusedNamingTheSetting(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("out"), "x");
        UserError e = assertThrows(UserError.class,
                () -> Directories.requireUsable(file, Setting.OUTPUT_DIRECTORY, Vocabulary.PLAIN));
        assertEquals("the outputDirectory setting: " + file + " cannot be a directory: it is a file; point "
                + "outputDirectory=<directory> at a directory (it is created if missing), or move the file away",
                e.getMessage());
    }

    @Test
    void aPathUnderAFileIsRefusedNamingTheFile(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("out"), "x");
        UserError e = assertThrows(UserError.class, () -> Directories.requireUsable(file.resolve("a/b"),
                Setting.OUTPUT_DIRECTORY, Vocabulary.PLAIN));
        assertEquals("the outputDirectory setting: " + file.resolve("a/b") + " cannot be a directory: " + file
                + " is a file; point outputDirectory=<directory> at a directory (it is created if missing), or move "
                + "the file away", e.getMessage());
    }

    @Test
    void aLinkToNothingIsRefused(@TempDir Path tmp) throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("out"), tmp.resolve("gone"));
        UserError e = assertThrows(UserError.class,
                () -> Directories.requireUsable(link, Setting.OUTPUT_DIRECTORY, Vocabulary.PLAIN));
        assertEquals("the outputDirectory setting: " + link + " cannot be a directory: " + link + " is a link to "
                + "nothing; point outputDirectory=<directory> at a directory, or remove the link", e.getMessage());
    }

    @Test
    void aDirectoryOrAMissingOneIsFineAndNothingIsCreated(@TempDir Path tmp) throws Exception {
        Directories.requireUsable(tmp, Setting.OUTPUT_DIRECTORY, Vocabulary.PLAIN);
        Directories.requireUsable(tmp.resolve("a/b"), Setting.OUTPUT_DIRECTORY, Vocabulary.PLAIN);
        assertFalse(Files.exists(tmp.resolve("a")));
    }
}
