package dev.pyruntime.publish;

import dev.pyruntime.UserError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where archives are published: a store of immutable objects by key, plus one mutable object (the index) that is only
 * ever replaced by compare-and-swap. Implementations: {@link FileRepository} ({@code file:/path}) and
 * {@link S3Repository} ({@code s3://bucket/prefix}).
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

    /** The SHA-256 of the object {@code key}, or empty if there is none. */
    Optional<String> sha256(String key) throws IOException, UserError;

    /** The object {@code key}, or empty if there is none. */
    Optional<Versioned> get(String key) throws IOException, UserError;

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
