package dev.pyruntime.publish;

import dev.pyruntime.AtomicFiles;
import dev.pyruntime.PathLock;
import dev.pyruntime.Sha256;
import dev.pyruntime.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A repository in a directory ({@code file:/srv/runtimes}), for air-gapped mirrors and tests, with the same rules as
 * S3: an object is copied to a temp file beside its key and then hard-linked into place, which fails atomically when
 * the key exists (put-if-absent, also across processes and machines sharing the directory); the index is replaced
 * under a lock file only if its content still has the SHA-256 the caller read (compare-and-swap).
 * <p>
 * Every temp file is named {@code .<name>.<digits>.part} beside its key. A deploy killed while it copies leaves one;
 * the next deploy that writes into that folder deletes those older than {@link #STALE_AFTER}. A copy in progress
 * writes all the time, and the copy is checked and linked into place within moments of its last write, so a temp
 * file untouched for a day belongs to no deploy that is still running.
 */
public final class FileRepository implements Repository {
    /** How long a temp file must have been untouched before a deploy takes it for a dead one's and deletes it. */
    static final Duration STALE_AFTER = Duration.ofHours(24);
    /**
     * The name of a temp file this repository writes for what it publishes (an archive, a {@code .sha256}, JSON):
     * {@code .<name>.<digits>.part}, or {@code .<name><digits>.part} as earlier builds of this plugin named them.
     */
    static final Pattern TEMP_NAME = Pattern.compile("\\..+(\\.tar\\.zst|\\.sha256|\\.json)\\.?[0-9]{1,20}\\.part");

    private final Path root;
    /** The folders this repository has swept of stale temp files, once each. */
    private final Set<Path> swept = ConcurrentHashMap.newKeySet();

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
    public boolean putIfAbsent(String key, Path file, String sha256) throws IOException {
        return create(key, tmp -> {
            Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
            String copied = Sha256.of(tmp);
            if (!copied.equals(sha256)) {
                throw new IOException("the copy of " + file + " has sha256 " + copied + ", expected " + sha256);
            }
        });
    }

    @Override
    public boolean putIfAbsent(String key, byte[] content) throws IOException {
        return create(key, tmp -> Files.write(tmp, content));
    }

    private interface Fill {
        void into(Path tmp) throws IOException;
    }

    /** Fills a temp file beside the key, then hard-links it into place: fails atomically when the key exists. */
    private boolean create(String key, Fill fill) throws IOException {
        Path target = resolve(key);
        if (Files.exists(target)) {
            return false;
        }
        Files.createDirectories(target.getParent());
        Path tmp = temp(target);
        try {
            fill.into(tmp);
            Files.createLink(target, tmp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public Optional<Digest> digest(String key) throws IOException {
        Path p = resolve(key);
        return Files.isRegularFile(p) ? Optional.of(new Digest(Sha256.of(p), Files.size(p))) : Optional.empty();
    }

    @Override
    public Optional<Digest> download(String key, Path file, long max) throws IOException, UserError {
        Path p = resolve(key);
        if (!Files.isRegularFile(p)) {
            return Optional.empty();
        }
        try (java.io.InputStream in = Files.newInputStream(p)) {
            return Optional.of(Repository.copyBounded(in, file, max, url(key)));
        }
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(resolve(key));
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        // A prefix is a folder and the start of a name in it ("index.d/" or "index.d/python-3.1").
        int slash = prefix.lastIndexOf('/');
        Path dir = slash < 0 ? root : resolve(prefix.substring(0, slash));
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        // One folder, not a walk: uploads in progress come and go in it (".name.123.part", skipped by name).
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> !f.getFileName().toString().startsWith("."))
                    .map(f -> root.relativize(f).toString())
                    .filter(k -> k.startsWith(prefix) && Files.isRegularFile(root.resolve(k)))
                    .sorted()
                    .toList();
        }
    }

    @Override
    public Optional<String> sha256(String key) throws IOException {
        Path p = resolve(key);
        return Files.isRegularFile(p) ? Optional.of(Sha256.of(p)) : Optional.empty();
    }

    @Override
    public Optional<Versioned> get(String key) throws IOException, UserError {
        Path p = resolve(key);
        if (!Files.isRegularFile(p)) {
            return Optional.empty();
        }
        byte[] content;
        try (InputStream in = Files.newInputStream(p)) {
            content = Repository.readBounded(in, MAX_OBJECT_BYTES, url(key));
        }
        return Optional.of(new Versioned(content, tag(content)));
    }

    @Override
    public boolean replaceIf(String key, byte[] content, String expectedTag) throws IOException, UserError {
        Path target = resolve(key);
        Files.createDirectories(target.getParent());
        try (PathLock lock = PathLock.acquire(target.resolveSibling("." + target.getFileName() + ".lock"), () -> { })) {
            Optional<Versioned> current = get(key);
            String currentTag = current.map(Versioned::tag).orElse(null);
            if (expectedTag == null ? currentTag != null : !expectedTag.equals(currentTag)) {
                return false;
            }
            Path tmp = temp(target);
            try {
                Files.write(tmp, content);
                AtomicFiles.moveIntoPlace(tmp, target);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return true;
        }
    }

    /** A new temp file beside {@code target}, after sweeping its folder of stale ones (once per folder). */
    private Path temp(Path target) throws IOException {
        Path dir = target.getParent();
        if (swept.add(dir)) {
            sweep(dir, Instant.now().minus(STALE_AFTER));
        }
        return AtomicFiles.createTemp(dir, "." + target.getFileName() + ".", ".part");
    }

    /**
     * Deletes the temp files in {@code dir} last written before {@code before}: regular files named as this
     * repository names them, never a link, a folder or any other file.
     *
     * @return the names deleted
     */
    static List<String> sweep(Path dir, Instant before) throws IOException {
        List<String> deleted = new java.util.ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (!TEMP_NAME.matcher(name).matches()) {
                    continue;
                }
                try {
                    BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (a.isRegularFile() && a.lastModifiedTime().toInstant().isBefore(before) && Files.deleteIfExists(f)) {
                        deleted.add(name);
                    }
                } catch (IOException e) {
                    // Gone already (another deploy's sweep, or its own finish), or not ours to delete: left as it is;
                    // housekeeping never fails a deploy.
                }
            }
        }
        return deleted;
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
