package dev.pyruntime.publish;

import dev.pyruntime.Console;
import dev.pyruntime.Sha256;
import dev.pyruntime.UserError;
import dev.pyruntime.archive.ArchiveMetadata;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@code deploy} step: publishes verified archives to a {@link Repository}, never overwriting one. For each archive,
 * in this order: the archive, its {@code .sha256}, its metadata, then its entry in {@code index.json}, so no index
 * entry ever points at a missing or partial archive. An archive already published with the same bytes is skipped;
 * different bytes under the same key fail the build, naming both checksums.
 */
public final class Publisher {
    /** How often the index update is tried when other deploys change it at the same time. */
    static final int INDEX_ATTEMPTS = 12;
    public static final String INDEX = "index.json";

    private final Console console;
    private final Repository repository;
    private final String prefix;
    private final boolean dryRun;
    private final Clock clock;

    /**
     * @param prefix the key prefix inside the repository ({@code runtimes/}), or empty
     * @param dryRun print what would be published and write nothing
     */
    public Publisher(Console console, Repository repository, String prefix, boolean dryRun, Clock clock) {
        this.console = console;
        this.repository = repository;
        this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        this.dryRun = dryRun;
        this.clock = clock;
    }

    /** What happened to one archive. */
    public enum Outcome { PUBLISHED, ALREADY_PUBLISHED, WOULD_PUBLISH }

    public record Published(String target, String url, Outcome outcome) {
    }

    /**
     * @param archive the archive; its {@code .sha256} and metadata JSON are beside it
     */
    public Published publish(Path archive) throws UserError, IOException {
        Path metadataFile = ArchiveMetadata.fileFor(archive);
        ArchiveMetadata meta = ArchiveMetadata.read(metadataFile);
        String actual = Sha256.of(archive);
        if (!actual.equals(meta.sha256())) {
            throw new UserError(archive + " has sha256 " + actual + " but its metadata says " + meta.sha256()
                    + "; it changed after verify: run verify again before deploying");
        }
        String key = prefix + archive.getFileName();
        Path sidecar = archive.resolveSibling(archive.getFileName() + ".sha256");
        String url = repository.url(key);
        if (dryRun) {
            boolean exists = repository.sha256(key).isPresent();
            console.info(meta.target() + ": dry run: " + (exists ? "already at " + url + " (would compare its sha256)"
                    : "would upload " + archive.getFileName() + " (" + meta.size() + " bytes, sha256 " + actual + ") to "
                    + url + ", then " + sidecar.getFileName() + ", " + metadataFile.getFileName() + " and an entry in "
                    + repository.url(prefix + INDEX)));
            return new Published(meta.target(), url, Outcome.WOULD_PUBLISH);
        }
        boolean created = putImmutable(key, archive, actual, meta.target());
        putImmutable(prefix + sidecar.getFileName(), sidecar, Sha256.of(sidecar), meta.target());
        putImmutable(prefix + metadataFile.getFileName(), metadataFile, Sha256.of(metadataFile), meta.target());
        addToIndex(new Index.Entry(key, meta.target(), meta.version(), meta.distro(), meta.distroName(),
                meta.distroVersion(), meta.arch(), actual, meta.size(),
                Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString(), meta.planFingerprint()));
        console.info(meta.target() + ": " + (created ? "published " : "already published, identical: ") + url);
        return new Published(meta.target(), url, created ? Outcome.PUBLISHED : Outcome.ALREADY_PUBLISHED);
    }

    /** Creates {@code key} unless it exists; an existing object must have the same bytes. Returns whether it created it. */
    private boolean putImmutable(String key, Path file, String sha256, String target) throws UserError, IOException {
        if (repository.putIfAbsent(key, file, sha256)) {
            return true;
        }
        String theirs = repository.sha256(key).orElse("(unreadable)");
        if (!theirs.equals(sha256)) {
            throw new UserError(target + ": " + repository.url(key) + " is already published with sha256 " + theirs
                    + ", and this build's " + file.getFileName() + " has sha256 " + sha256 + ". A published file is never "
                    + "overwritten: publish a new version, or remove the object by hand if nobody can have used it");
        }
        return false;
    }

    /** Adds the entry by compare-and-swap, retrying with a random back-off while other deploys change the index. */
    private void addToIndex(Index.Entry entry) throws UserError, IOException {
        String key = prefix + INDEX;
        for (int attempt = 1; attempt <= INDEX_ATTEMPTS; attempt++) {
            Optional<Repository.Versioned> current = repository.get(key);
            Index index = current.isPresent() ? Index.parse(current.get().content()) : Index.empty();
            Index.Entry old = index.find(entry.key());
            if (old != null && old.sha256().equals(entry.sha256())) {
                return;
            }
            if (repository.replaceIf(key, index.with(entry).toJson(), current.map(Repository.Versioned::tag).orElse(null))) {
                return;
            }
            console.debug(entry.target() + ": " + key + " changed while adding to it (attempt " + attempt + "), retrying");
            try {
                Thread.sleep(ThreadLocalRandom.current().nextLong(20, 100L * attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while updating " + repository.url(key), e);
            }
        }
        throw new UserError(entry.target() + ": " + repository.url(key) + " kept changing under other deploys; gave up "
                + "adding " + entry.key() + " after " + INDEX_ATTEMPTS + " attempts. The archive is published; deploy "
                + "again to add it to the index");
    }

    /**
     * The repository a URL names: {@code s3://bucket/prefix} or {@code file:/path}.
     *
     * @param s3 how to reach S3, for {@code s3://} URLs
     */
    public static Repository open(String url, S3Repository.Options s3) throws UserError {
        if (url == null || url.isBlank()) {
            throw new UserError("no repository to deploy to: set python-runtime.repository, such as "
                    + "s3://my-bucket/runtimes or file:/srv/runtimes");
        }
        if (url.startsWith("s3://")) {
            return new S3Repository(S3Repository.Location.parse(url, "python-runtime.repository"), s3);
        }
        if (url.startsWith("file:")) {
            String path = url.substring("file:".length()).replaceFirst("^//", "");
            if (!path.startsWith("/")) {
                throw new UserError("python-runtime.repository '" + url + "': a file repository needs an absolute path, "
                        + "such as file:/srv/runtimes");
            }
            return new FileRepository(Path.of(path));
        }
        throw new UserError("python-runtime.repository '" + url + "': unknown scheme; use s3://bucket/prefix or file:/path");
    }
}
