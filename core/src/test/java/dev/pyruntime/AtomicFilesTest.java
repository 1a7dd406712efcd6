package dev.pyruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pyruntime.archive.TarZst;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written through a temp file get the permissions of any new file under the umask, not a temp file's 0600. */
class AtomicFilesTest {

    /** What a file created the ordinary way gets here (0644 under the usual umask 022). */
    private static String ordinary(Path dir) throws Exception {
        Path plain = Files.createFile(dir.resolve("created-plainly"));
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(plain));
        } finally {
            Files.delete(plain);
        }
    }

    @Test
    void writtenFilesAndArchivesHaveTheUmasksPermissions(@TempDir Path dir) throws Exception {
        String expected = ordinary(dir);
        Path json = dir.resolve("out/python-3.11.2-debian-12-amd64.json");
        AtomicFiles.writeString(json, "{}");

        Path root = Files.createDirectories(dir.resolve("staging/bin"));
        Files.writeString(root.resolve("python3"), "#!/bin/sh\n");
        Path archive = dir.resolve("out/python-3.11.2-debian-12-amd64.tar.zst");
        TarZst.write(dir.resolve("staging"), archive, new TarZst.Settings(FileTime.fromMillis(0), 3, 20));

        for (Path p : List.of(json, archive)) {
            assertEquals(expected, PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
        }
    }
}
