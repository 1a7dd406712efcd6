package dev.pyruntime.publish;

import dev.pyruntime.PathLock;
import dev.pyruntime.Sha256;
import dev.pyruntime.UserError;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * A repository in a directory ({@code file:/srv/runtimes}), for air-gapped mirrors and tests, with the same rules as
 * S3: an object is copied to a temp file beside its key and then hard-linked into place, which fails atomically when
 * the key exists (put-if-absent, also across processes and machines sharing the directory); the index is replaced
 * under a lock file only if its content still has the SHA-256 the caller read (compare-and-swap).
 */
public final class FileRepository implements Repository {
    private final Path root;

    public FileRepository(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public String describe() {
        return "file:" + root;
    }

    @Override
    public String url(String key) {
        return resolve(key).toUri().toString();
    }

    @Override
    public boolean putIfAbsent(String key, Path file, String sha256) throws IOException, UserError {
        Path target = resolve(key);
        if (Files.exists(target)) {
            return false;
        }
        Files.createDirectories(target.getParent());
        Path tmp = dev.pyruntime.AtomicFiles.createTemp(target.getParent(), "." + target.getFileName(), ".part");
        try {
            Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
            String copied = Sha256.of(tmp);
            if (!copied.equals(sha256)) {
                throw new IOException("the copy of " + file + " has sha256 " + copied + ", expected " + sha256);
            }
            Files.createLink(target, tmp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public Optional<String> sha256(String key) throws IOException {
        Path p = resolve(key);
        return Files.isRegularFile(p) ? Optional.of(Sha256.of(p)) : Optional.empty();
    }

    @Override
    public Optional<Versioned> get(String key) throws IOException {
        Path p = resolve(key);
        if (!Files.isRegularFile(p)) {
            return Optional.empty();
        }
        byte[] content = Files.readAllBytes(p);
        return Optional.of(new Versioned(content, tag(content)));
    }

    @Override
    public boolean replaceIf(String key, byte[] content, String expectedTag) throws IOException {
        Path target = resolve(key);
        Files.createDirectories(target.getParent());
        try (PathLock lock = PathLock.acquire(target.resolveSibling("." + target.getFileName() + ".lock"), () -> { })) {
            Optional<Versioned> current = get(key);
            String currentTag = current.map(Versioned::tag).orElse(null);
            if (expectedTag == null ? currentTag != null : !expectedTag.equals(currentTag)) {
                return false;
            }
            dev.pyruntime.AtomicFiles.write(target, content);
            return true;
        }
    }

    private static String tag(byte[] content) {
        return Sha256.of(content);
    }

    private Path resolve(String key) {
        if (key.isEmpty() || key.startsWith("/") || List.of(key.split("/")).contains("..")) {
            throw new IllegalArgumentException("not a repository key: " + key);
        }
        return root.resolve(key);
    }
}
