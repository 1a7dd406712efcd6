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
        assertEquals("file:/srv/runtimes", Publisher.open("file:/srv/runtimes", s3).describe());
        assertEquals("file:/srv/runtimes", Publisher.open("file:///srv/runtimes", s3).describe());
        assertTrue(assertThrows(UserError.class, () -> Publisher.open("file:relative", s3)).getMessage().contains("absolute path"));
        assertTrue(assertThrows(UserError.class, () -> Publisher.open("ftp://x/y", s3)).getMessage().contains("unknown scheme"));
        assertTrue(assertThrows(UserError.class, () -> Publisher.open(null, s3)).getMessage().contains("set the repository setting"));
    }
}
