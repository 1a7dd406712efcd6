package dev.pyruntime.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyruntime.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The publishing rules against a directory repository ({@code file:/path}). */
class FilePublishingTest extends PublishingRules {

    Path repoDir() {
        return tmp.resolve("repo");
    }

    @Override
    Repository open() {
        return new FileRepository(repoDir());
    }

    @Override
    Optional<byte[]> object(String key) throws Exception {
        Path p = repoDir().resolve(key);
        return Files.isRegularFile(p) ? Optional.of(Files.readAllBytes(p)) : Optional.empty();
    }

    @Override
    void delete(String key) throws Exception {
        Files.delete(repoDir().resolve(key));
    }

    @Override
    void put(String key, byte[] content) throws Exception {
        Files.createDirectories(repoDir().resolve(key).getParent());
        Files.write(repoDir().resolve(key), content);
    }

    @Override
    List<String> leftovers() throws Exception {
        if (!Files.isDirectory(repoDir())) {
            return List.of();
        }
        try (var files = Files.list(repoDir())) {
            return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".part")).toList();
        }
    }

    @Test
    void repositoryUrls() throws UserError {
        S3Repository.Options s3 = S3Repository.Options.defaults();
        assertEquals("file:/srv/runtimes", Repositories.open("file:/srv/runtimes", s3).describe());
        assertEquals("file:/srv/runtimes", Repositories.open("file:///srv/runtimes", s3).describe());
        assertTrue(assertThrows(UserError.class, () -> Repositories.open("file:relative", s3)).getMessage().contains("absolute path"));
        assertTrue(assertThrows(UserError.class, () -> Repositories.open("ftp://x/y", s3)).getMessage().contains("unknown scheme"));
        assertTrue(assertThrows(UserError.class, () -> Repositories.open(null, s3)).getMessage().contains("set the repository setting"));
    }

    /** A deploy killed during a copy leaves its temp file; a later deploy into that folder deletes it once stale. */
    @Test
    void aLaterDeployDeletesTheStaleTempFilesOfAKilledOneAndNothingElse() throws Exception {
        Path dir = repoDir().resolve("runtimes");
        Files.createDirectories(dir);
        java.nio.file.attribute.FileTime twoDaysAgo = java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(java.time.Duration.ofDays(2)));
        Path stale = Files.writeString(dir.resolve(".python-3.13.5-debian-12-amd64.tar.zst.8812437710492.part"), "half");
        Path staleIndex = Files.writeString(dir.resolve(".index.json.77.part"), "{");
        Path fresh = Files.writeString(dir.resolve(".python-3.11.2-debian-12-amd64.tar.zst.5533.part"), "copying now");
        Path staleOldName = Files.writeString(dir.resolve(".python-3.12.1-debian-12-amd64.tar.zst.sha2564411.part"), "a");
        Path notOurs = Files.writeString(dir.resolve(".notes.part"), "mine");
        Path notOursToo = Files.writeString(dir.resolve(".notes.7.part"), "mine");
        Path notOursEither = Files.writeString(dir.resolve("python.tar.zst.12.part"), "mine");
        Path linked = Files.createSymbolicLink(dir.resolve(".x.tar.zst.42.part"), notOurs);
        for (Path p : List.of(stale, staleIndex, staleOldName, notOurs, notOursToo, notOursEither)) {
            Files.setLastModifiedTime(p, twoDaysAgo);
        }
        Files.getFileAttributeView(linked, java.nio.file.attribute.BasicFileAttributeView.class,
                java.nio.file.LinkOption.NOFOLLOW_LINKS).setTimes(twoDaysAgo, null, null);

        try (Repository repo = open()) {
            assertTrue(repo.putIfAbsent("runtimes/python-3.14.6-debian-12-amd64.tar.zst", new byte[] {1, 2, 3}));
        }

        try (var files = Files.list(dir)) {
            assertEquals(List.of(".notes.7.part", ".notes.part", ".python-3.11.2-debian-12-amd64.tar.zst.5533.part",
                    ".x.tar.zst.42.part",
                    "python-3.14.6-debian-12-amd64.tar.zst", "python.tar.zst.12.part"),
                    files.map(f -> f.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void itsOwnTempFilesAreNamedSoThatASweepKnowsThem() {
        assertTrue(FileRepository.TEMP_NAME.matcher(".python-3.13.5-debian-12-amd64.tar.zst.sha256.18446744073709551615.part")
                .matches());
        assertTrue(!FileRepository.TEMP_NAME.matcher(".index.json.lock").matches());
    }
}
