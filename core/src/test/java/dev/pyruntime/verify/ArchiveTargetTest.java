package dev.pyruntime.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pyruntime.UserError;
import dev.pyruntime.Vocabulary;
import dev.pyruntime.manifest.Manifest;
import dev.pyruntime.manifest.ManifestLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The target of an archive verified on its own, from the manifest alone: nothing is planned, so no container target's
 * build container starts for an archive of another target.
 */
class ArchiveTargetTest {
    private static Manifest manifest() throws Exception {
        return ManifestLoader.parse(Path.of("python.yaml"), String.join("\n",
                "schema: 1",
                "archive: { name: \"rt-{version}-{distro}{distroVersion}-{arch}.tar.zst\" }",
                "source: { url: \"https://example.invalid/{version}/{file}\" }",
                "distros:",
                "  debian-12: {}",
                "  ubuntu-24.04: { executor: container, image: heroku/heroku:24-build }",
                "arches: [amd64]",
                "versions:",
                "  - { version: 3.13.5, file: Python-3.13.5.tar.xz, sha256: " + "b".repeat(64) + " }",
                ""));
    }

    @Test
    void byItsNameWithoutPlanning(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("rt-3.13.5-ubuntu24.04-amd64.tar.zst"), "x");
        assertEquals("3.13.5-ubuntu-24.04-amd64", ArchiveTarget.of(file, manifest(), Vocabulary.PLAIN));
        Path host = Files.writeString(dir.resolve("rt-3.13.5-debian12-amd64.tar.zst"), "x");
        assertEquals("3.13.5-debian-12-amd64", ArchiveTarget.of(host, manifest(), Vocabulary.PLAIN));
    }

    @Test
    void aNameOfNoTargetListsTheNames(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("python-9.9.9-debian-12-amd64.tar.zst"), "x");
        UserError e = assertThrows(UserError.class, () -> ArchiveTarget.of(file, manifest(), Vocabulary.PLAIN));
        assertEquals("the archive setting: python-9.9.9-debian-12-amd64.tar.zst is no archive name of the targets of "
                + "python.yaml (rt-3.13.5-debian12-amd64.tar.zst, rt-3.13.5-ubuntu24.04-amd64.tar.zst), and no "
                + "python-9.9.9-debian-12-amd64.json beside it says its target; rename it as its target's archive, or "
                + "put its metadata beside it", e.getMessage());
    }

    @Test
    void metadataBesideItMustNameATargetOfTheManifestExactly(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("rt-3.13.5-debian12-amd64.tar.zst"), "x");
        // A glob where the id should be would select every target: it is no target id.
        Files.writeString(dir.resolve("rt-3.13.5-debian12-amd64.json"), "{\"schema\": 1, \"target\": \"*\"}");
        UserError e = assertThrows(UserError.class, () -> ArchiveTarget.of(file, manifest(), Vocabulary.PLAIN));
        assertEquals("the archive setting: rt-3.13.5-debian12-amd64.json beside it names target '*', which is no "
                + "target of python.yaml; verify it with the manifest it was built from, or remove the metadata to take "
                + "the target from the file name", e.getMessage());

        Files.writeString(dir.resolve("rt-3.13.5-debian12-amd64.json"),
                "{\"schema\": 1, \"target\": \"3.13.5-ubuntu-24.04-amd64\"}");
        assertEquals("3.13.5-ubuntu-24.04-amd64", ArchiveTarget.of(file, manifest(), Vocabulary.PLAIN));
    }
}
