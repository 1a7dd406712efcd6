package dev.pyruntime.publish;

import dev.pyruntime.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where archives are published: a store of immutable objects by key, plus one mutable object (the index) that is
 * replaced by compare-and-swap where the store has it. Nothing relies on that compare-and-swap being atomic (s3proxy's
 * is not): see {@link Publisher} for how the index still loses no entry. Implementations: {@link FileRepository}
 * ({@code file:/path}) and {@link S3Repository} ({@code s3://bucket/prefix}).
 */
public interface Repository extends AutoCloseable {

    /** An object's content and its version tag (what a conditional replace compares). */
    record Versioned(byte[] content, String tag) {
    }

    /** The repository's URL, for messages. */
    String describe();

    /** The URL of an object, for messages and for consumers. */
    String url(String key);

    /**
     * Creates the object {@code key} from {@code file} only if no object has that key (put-if-absent). The object is
     * never visible half-written.
     *
     * @param sha256 the file's SHA-256, checked by the store where it can
     * @return true if created, false if the key already existed (nothing was written)
     */
    boolean putIfAbsent(String key, Path file, String sha256) throws IOException, UserError;

    /**
     * Creates the object {@code key} with {@code content} only if no object has that key, as
     * {@link #putIfAbsent(String, Path, String)} does for a file.
     */
    boolean putIfAbsent(String key, byte[] content) throws IOException, UserError;

    /**
     * The SHA-256 of the object {@code key}, or empty if there is none: the one recorded when it was uploaded when the
     * store keeps it (S3's object metadata, checked by the store at upload), else read from its bytes.
     */
    Optional<String> sha256(String key) throws IOException, UserError;

    /** What reading an object's bytes found. */
    record Digest(String sha256, long size) {
    }

    /** The SHA-256 and size of the object {@code key}, read from its bytes; empty if there is none. */
    Optional<Digest> digest(String key) throws IOException, UserError;

    /**
     * Copies the object {@code key} into {@code file} (through a temp file beside it, renamed into place when whole),
     * refusing one of more than {@code max} bytes; empty, and nothing written, when there is no such object.
     *
     * @return the SHA-256 and size of what was copied
     */
    Optional<Digest> download(String key, Path file, long max) throws IOException, UserError;

    /**
     * Copies {@code in} into {@code file} through a temp file, as {@link #download} does, refusing it once it passes
     * {@code max} bytes, whatever its declared length said.
     *
     * @param url the object's URL, for the refusal of one too large
     */
    static Digest copyBounded(InputStream in, Path file, long max, String url) throws IOException, UserError {
        Path tmp = dev.pyruntime.AtomicFiles.createTemp(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".part");
        try {
            java.security.MessageDigest sha = dev.pyruntime.Sha256.digest();
            long size = 0;
            try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(tmp)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    size += n;
                    if (size > max) {
                        throw new UserError(url + " holds more than " + (max >> 20) + " MiB, more than any runtime "
                                + "archive; it was not downloaded");
                    }
                    sha.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
            }
            dev.pyruntime.AtomicFiles.moveIntoPlace(tmp, file);
            return new Digest(dev.pyruntime.Sha256.hex(sha), size);
        } finally {
            java.nio.file.Files.deleteIfExists(tmp);
        }
    }

    /** Whether there is an object {@code key}. */
    boolean exists(String key) throws IOException, UserError;

    /**
     * The keys of the objects whose key starts with {@code prefix}, sorted; only those directly in the prefix's folder
     * ({@code index.d/x.json}, not {@code index.d/sub/x.json}) need to be there.
     */
    List<String> list(String prefix) throws IOException, UserError;

    /**
     * The object {@code key}, or empty if there is none. It is read whole, so it may hold at most
     * {@link #MAX_OBJECT_BYTES}; a larger one is refused unread ({@link #readBounded}).
     */
    Optional<Versioned> get(String key) throws IOException, UserError;

    /**
     * The most an object read whole may hold: the index, an index entry, a {@code .sha256} or metadata. 64 MiB is
     * room for an index of some 40,000 archives at about 1.5 kB each; anything larger is not one that python-runtime
     * wrote, and reading it would only fill the heap.
     */
    long MAX_OBJECT_BYTES = 64L << 20;

    /** Reads {@code in} whole, refusing it once it passes {@code max} bytes, whatever its declared length said. */
    static byte[] readBounded(InputStream in, long max, String url) throws IOException, UserError {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        if (bytes.length > max) {
            throw tooLarge(url, max);
        }
        return bytes;
    }

    /** The refusal of an object larger than {@code max}. */
    static UserError tooLarge(String url, long max) {
        return new UserError(url + " holds more than " + (max >> 20) + " MiB: python-runtime reads it whole (it is an "
                + "index, an index entry, a .sha256 or metadata), and none that it writes is that large, so this "
                + "object was put there by something else. Remove or replace it, or publish under another prefix");
    }

    /**
     * Writes {@code content} to {@code key} only if the object still has version {@code expectedTag}, or, when
     * {@code expectedTag} is null, only if there is no object yet.
     *
     * @return false if someone else changed it first (nothing was written)
     */
    boolean replaceIf(String key, byte[] content, String expectedTag) throws IOException, UserError;

    /** Releases connections; the repository is not used after. */
    @Override
    default void close() {
    }
}
