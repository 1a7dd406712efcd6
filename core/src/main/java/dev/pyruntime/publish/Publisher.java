package dev.pyruntime.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.pyruntime.Console;
import dev.pyruntime.Setting;
import dev.pyruntime.Sha256;
import dev.pyruntime.UserError;
import dev.pyruntime.archive.ArchiveMetadata;
import dev.pyruntime.archive.Provenance;
import dev.pyruntime.archive.Sbom;
import dev.pyruntime.archive.Sha256Sidecar;
import dev.pyruntime.sign.BadSignature;
import dev.pyruntime.sign.SignatureCheck;
import dev.pyruntime.sign.SigningKey;
import dev.pyruntime.manifest.Variant;
import dev.pyruntime.plan.BuildPlan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Publishes verified archives to a {@link Repository}, never overwriting one: the publish and complete protocol of one
 * runtime. {@link DeployStep} runs it over a build's targets, {@link IndexSync} keeps the index and the files made from
 * it whole, and {@link Repositories} opens the repository a URL names.
 *
 * <p>Each runtime is five objects, written in this order, each only if it is not there yet: the archive, its
 * {@code .sha256}, its metadata JSON, its entry object {@code index.d/<archive>.json}, and its entry in
 * {@code index.json}. So an entry never points at a missing archive. The archive is the identity: a key that is
 * already published is never written again, and other bytes under it fail the build, naming both checksums.
 *
 * <p><b>Completing.</b> A deploy that died between two of those writes leaves an archive without some of the rest.
 * {@link #complete} adds what is missing: the {@code .sha256} and the entries from the published archive's own bytes,
 * the metadata only from a local archive that is byte-identical to the published one (otherwise it says so, and why).
 *
 * <p><b>The index.</b> {@code index.json} is the union of the entry objects under {@code index.d/} (and of the entries
 * it already has). A deploy writes it with the store's compare-and-swap, but does not trust that to be atomic: after
 * each write it reads the index back and lists {@code index.d/} again, and writes again until the index has every
 * listed entry. The last write to land is then always followed by a check of the writer that made it, so a deploy
 * whose write was clobbered by a stale one is repaired by whoever clobbered it. An index this version cannot read is
 * refused, never rewritten ({@link Index#parse}).
 */
public final class Publisher implements dev.pyruntime.plan.Matrix.PublishedArchives {
    /** How often the index update is tried while other deploys change it at the same time. */
    static final int INDEX_ATTEMPTS = 24;
    public static final String INDEX = "index.json";
    /** The checksums of every published file, in {@code sha256sum} format, kept whole like the index. */
    public static final String SUMS = "SHA256SUMS";
    /** A signature's suffix: detached beside an immutable file, cleartext around a changing one. */
    public static final String SIG = ".asc";
    /** The folder of entry objects, one per published archive, that {@code index.json} aggregates. */
    public static final String ENTRIES = "index.d/";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Console console;
    private final Repository repository;
    private final String prefix;
    private final boolean dryRun;
    private final Clock clock;
    private Vouch vouch;
    private Path scratch;
    private SigningKey signer;
    private boolean keyPublished;
    /** The index and the files made from it; replaced when the signing key is set. */
    private IndexSync sync;

    /**
     * How deploy proves that a published archive it did not upload and has no verified copy of is a runtime it may
     * vouch for, before it writes a {@code .sha256}, metadata or index entry beside it: all of {@code verify} on the
     * downloaded bytes, with its programs in the sandbox.
     */
    @FunctionalInterface
    public interface Vouch {
        /**
         * @param downloaded the published archive's bytes, in a directory of this call's own (the verify report goes
         *                   there)
         * @throws UserError naming the failed checks when it does not pass
         */
        void verify(Release release, Path downloaded) throws UserError, IOException;
    }

    /** The most a published archive may hold for deploy to download it and verify it. */
    static final long MAX_ARCHIVE_BYTES = 8L << 30;

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
        this.sync = new IndexSync(console, repository, this.prefix, null);
    }

    /**
     * Lets deploy complete archives it finds published but did not upload, after {@code vouch} verified their
     * downloaded bytes in a directory under {@code scratch}. Without it such an archive is left as it is, and deploy
     * fails naming it.
     */
    public Publisher verifyingWith(Vouch vouch, Path scratch) {
        this.vouch = vouch;
        this.scratch = scratch;
        return this;
    }

    /**
     * Signs every file this deploy publishes with {@code key} (see the class comment), or, with null, nothing. A
     * repository whose index lists signed runtimes then refuses an unsigned deploy ({@link #checkIndex}).
     */
    public Publisher signingWith(SigningKey key) {
        this.signer = key;
        this.sync = new IndexSync(console, repository, prefix, key);
        return this;
    }

    /** What happened to one archive. */
    public enum Outcome {
        /** This deploy uploaded the archive. */
        PUBLISHED,
        /** The archive and everything beside it were there already. */
        ALREADY_PUBLISHED,
        /** The archive was there; this deploy added some of what was missing beside it. */
        COMPLETED,
        /** A dry run: nothing was written. */
        WOULD_PUBLISH
    }

    /**
     * @param missing what is still missing beside the archive, each with why it could not be added (for a dry run:
     *                what would be completed)
     */
    public record Published(String target, String url, Outcome outcome, List<String> missing) {
    }

    /**
     * A runtime as its plan names it: what an index entry says besides the archive's checksum and size.
     *
     * @param variant     the variant ({@code freethreaded}), {@code default} for the default build
     * @param archiveName the archive's file name, its key in the repository (after the prefix)
     */
    public record Release(String target, String version, String variant, String distro, String distroName,
                          String distroVersion, String arch, String archiveName) {
        /** The default build's. */
        public Release(String target, String version, String distro, String distroName, String distroVersion,
                       String arch, String archiveName) {
            this(target, version, Variant.DEFAULT, distro, distroName, distroVersion, arch, archiveName);
        }

        /** The release a plan builds. */
        public static Release of(BuildPlan plan) {
            var t = plan.target();
            return new Release(t.id(), t.version(), t.variant() == null ? Variant.DEFAULT : t.variant(), t.distro(),
                    t.distroName(), t.distroVersion(), t.arch(), plan.archive().name());
        }

        static Release of(ArchiveMetadata m) {
            return new Release(m.target(), m.version(), m.variant() == null ? Variant.DEFAULT : m.variant(),
                    m.distro(), m.distroName(), m.distroVersion(), m.arch(), m.archive());
        }
    }

    /** The repository's URL of an archive, for messages. */
    @Override
    public String url(String archiveName) {
        return repository.url(prefix + archiveName);
    }

    /**
     * Reads {@code index.json} and refuses one this version cannot read or rewrite. Called before anything is built,
     * so an unusable index fails a deploy before it compiles or uploads anything.
     */
    public void checkIndex() throws UserError, IOException {
        Index index = sync.read();
        if (signer == null) {
            for (Index.Entry e : index.runtimes()) {
                if (e.signingKey() != null) {
                    throw new UserError(repository.url(prefix + INDEX) + " lists runtimes signed by "
                            + e.signingKey() + " (" + e.key() + "), and this deploy has no signing key, so it would "
                            + "publish unsigned files beside them. Give it the key: " + SigningKey.ENV_KEY + " and "
                            + SigningKey.ENV_PASSPHRASE + " in the environment, or "
                            + console.words().name(Setting.SIGNING_KEY_FILE));
                }
            }
        }
    }

    /**
     * The archives {@code index.json} lists, by name, with the SHA-256 each entry names: a deploy indexes an archive
     * after everything beside it that it can write is written. One read of the index.
     */
    @Override
    public Map<String, String> indexed() throws UserError, IOException {
        Map<String, String> out = new java.util.TreeMap<>();
        for (Index.Entry e : sync.read().runtimes()) {
            if (e.key().startsWith(prefix)) {
                out.put(e.key().substring(prefix.length()), e.sha256());
            }
        }
        return out;
    }

    /** The repository, as messages name it. */
    @Override
    public String describe() {
        return repository.describe();
    }

    /** The SHA-256 of the published archive {@code archiveName}, or empty when it is not published. */
    @Override
    public Optional<String> published(String archiveName) throws UserError, IOException {
        return repository.sha256(prefix + archiveName);
    }

    /**
     * Publishes a verified archive with its {@code .sha256} and metadata (beside it), then its entries. An archive
     * already published with the same bytes is {@linkplain #complete completed} instead.
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
        Path sidecar = Sha256Sidecar.fileFor(archive);
        String url = repository.url(key);
        if (meta.symbols() != null) {
            // Before the runtime goes up: a deploy that cannot publish its symbols archive leaves nothing half-done.
            String expected = dev.pyruntime.manifest.Manifest.Archive.symbolsName(archive.getFileName().toString());
            if (!expected.equals(meta.symbols().archive())) {
                throw new UserError(ArchiveMetadata.fileFor(archive) + " names the symbols archive "
                        + dev.pyruntime.Chars.shown(String.valueOf(meta.symbols().archive())) + ", not " + expected
                        + "; run package again");
            }
            Path symbols = archive.resolveSibling(expected);
            String local = Files.isRegularFile(symbols) ? Sha256.of(symbols) : null;
            if (!meta.symbols().sha256().equals(local)) {
                throw new UserError(symbols + (local == null ? " is missing" : " has sha256 " + local) + " but the "
                        + "metadata of " + archive.getFileName() + " names " + meta.symbols().sha256() + "; it changed "
                        + "after verify: run package and verify again before deploying");
            }
            String symbolsKey = prefix + meta.symbols().archive();
            Optional<String> theirs = repository.sha256(symbolsKey);
            if (theirs.isPresent() && !theirs.get().equals(local)) {
                throw conflict(meta.target(), symbolsKey, theirs.get(), symbols, local);
            }
        }
        if (dryRun) {
            Optional<String> theirs = repository.sha256(key);
            if (theirs.isPresent() && !theirs.get().equals(actual)) {
                throw conflict(meta.target(), key, theirs.get(), archive, actual);
            }
            if (theirs.isPresent()) {
                return complete(Release.of(meta), archive, actual, false);
            }
            console.info(meta.target() + ": dry run: would upload " + archive.getFileName() + " (" + meta.size()
                    + " bytes, sha256 " + actual + ") to " + url + ", then " + (signer != null ? "its signature, " : "")
                    + Sbom.nameFor(archive.getFileName().toString()) + ", "
                    + Provenance.nameFor(archive.getFileName().toString()) + ", " + sidecar.getFileName() + ", "
                    + metadataFile.getFileName() + (meta.symbols() == null ? "" : ", " + meta.symbols().archive()
                    + " (" + meta.symbols().size() + " bytes) and its .sha256")
                    + (signer != null ? ", each signed by " + signer.fingerprint() : "")
                    + ", and its entries in " + repository.url(prefix + INDEX) + " and " + SUMS);
            return new Published(meta.target(), url, Outcome.WOULD_PUBLISH, List.of());
        }
        boolean uploaded = putImmutable(key, archive, actual, meta.target());
        // Everything beside the archive is written as a completion would: the same checks, order and signatures.
        return complete(Release.of(meta), archive, actual, uploaded);
    }

    /**
     * Completes a runtime whose archive is published: adds its {@code .sha256}, metadata, entry object and index entry
     * where they are missing, once the published bytes are proven to be a runtime this deploy may vouch for: they
     * are downloaded and verified (see {@link #verifyingWith}). Nothing is written beside an archive that fails.
     *
     * @param local an archive of the release in the output directory, or null; its metadata is published only when it
     *              is byte-identical to the published archive
     * @throws UserError when the archive is not published, what is published beside it contradicts it, or it cannot
     *                   be proven to be ours
     */
    public Published complete(Release release, Path local) throws UserError, IOException {
        return complete(release, local, null, false);
    }

    /**
     * @param verifiedSha256 the SHA-256 of {@code local} when it is the archive this deploy verified (then published
     *                       bytes identical to it need no download and verify of their own), or null
     * @param uploaded       whether this deploy has just uploaded the archive (then everything beside it is written
     *                       from {@code local}'s files, and the outcome is {@link Outcome#PUBLISHED})
     */
    private Published complete(Release release, Path local, String verifiedSha256, boolean uploaded)
            throws UserError, IOException {
        String target = release.target();
        String key = prefix + release.archiveName();
        String url = repository.url(key);
        String recorded = repository.sha256(key).orElseThrow(() -> new UserError(target + ": " + url
                + " is not published, so there is nothing to complete"));
        String entryKey = sync.entryKey(key);
        String entryName = ENTRIES + release.archiveName() + ".json";
        String indexEntry = "its entry in " + INDEX;
        List<String> missing = new ArrayList<>();
        // What is there must agree with the archive: it is never replaced, so a contradiction is for a person to fix.
        Optional<Repository.Versioned> archiveSignature = signer == null ? Optional.empty() : repository.get(key + SIG);
        if (signer != null && archiveSignature.isEmpty()) {
            missing.add(release.archiveName() + SIG);
        }
        List<Beside> besides = besides(release, key, local, recorded);
        for (Beside b : besides) {
            if (b.published.isEmpty()) {
                missing.add(b.name);
            }
            if (signer != null && b.signature.isEmpty()) {
                missing.add(b.name + SIG);
            }
        }
        Described described = besides.get(METADATA).published.map(m -> Described.of(m.content())).orElse(null);
        SymbolsArchive symbols = symbolsArchive(release, local, besides.get(METADATA).published, recorded);
        if (symbols != null) {
            if (symbols.published().isEmpty()) {
                missing.add(symbols.name());
            }
            if (symbols.sidecar().isEmpty()) {
                missing.add(symbols.name() + ".sha256");
            }
            if (signer != null && symbols.signature().isEmpty()) {
                missing.add(symbols.name() + SIG);
            }
            if (signer != null && symbols.sidecarSignature().isEmpty()) {
                missing.add(symbols.name() + ".sha256" + SIG);
            }
        }
        Optional<Repository.Versioned> entry = repository.get(entryKey);
        if (entry.isPresent()) {
            String named = Index.parseEntry(entry.get().content(), repository.url(entryKey)).sha256();
            if (!named.equals(recorded)) {
                throw contradiction(target, entryKey, "names sha256 " + named, recorded);
            }
        } else {
            missing.add(entryName);
        }
        Optional<Repository.Versioned> entrySignature = signer == null ? Optional.empty() : repository.get(entryKey + SIG);
        if (signer != null && entrySignature.isEmpty()) {
            missing.add(entryName + SIG);
        }
        Index index = sync.read();
        Index.Entry listed = index.find(key);
        if (listed == null) {
            missing.add(indexEntry);
        } else if (!listed.sha256().equals(recorded)) {
            throw contradiction(target, prefix + INDEX, "lists " + release.archiveName() + " with sha256 "
                    + listed.sha256(), recorded);
        }
        if (dryRun) {
            console.info(target + ": dry run: " + url + " is published (sha256 " + recorded + ")" + (missing.isEmpty()
                    ? "" : "; would " + (verifiedSha256 != null ? "" : "download and verify it, then ")
                    + "complete what is missing beside it: " + String.join(", ", missing)));
            return new Published(target, url, missing.isEmpty() ? Outcome.ALREADY_PUBLISHED : Outcome.WOULD_PUBLISH,
                    missing);
        }
        if (missing.isEmpty()) {
            // Nothing of this target's is missing; the index may still lack another deploy's entry.
            sync.syncIndex(key, target);
            sync.syncDerived(target);
            if (uploaded) {
                // This deploy uploaded the archive, and a concurrent deploy of the same bytes, finding it there,
                // wrote everything beside it first: still this deploy's publication.
                console.info(target + ": published " + url + " (a concurrent deploy of the same archive completed it)");
                return new Published(target, url, Outcome.PUBLISHED, List.of());
            }
            console.info(target + ": already published: " + url + " (sha256 " + recorded + ")");
            return new Published(target, url, Outcome.ALREADY_PUBLISHED, List.of());
        }
        // An index entry without its entry object (an index from before entry objects): syncIndex makes the object
        // from that entry, unknown fields and date included. Otherwise the checksum and the entry are made from the
        // published archive's own bytes, not from what was recorded about them.
        boolean entryFromIndex = entry.isEmpty() && listed != null;
        // The published archive's signature is checked over the very bytes that are proven to be the runtime.
        Repository.Digest digest = vouchFor(release, key, local, verifiedSha256, recorded,
                proven -> {
                    if (archiveSignature.isPresent()) {
                        checkSignature(target, key, proven, archiveSignature.get().content());
                    }
                });
        String sha256 = digest.sha256();
        long size = digest.size();
        // Ours: the archive this project built and verify passed, byte for byte. Only such an archive is signed here.
        boolean ours = local != null && Files.isRegularFile(local)
                && (sha256.equals(verifiedSha256) || Sha256.of(local).equals(sha256));
        if (signer != null && archiveSignature.isEmpty() && !ours) {
            throw new UserError(target + ": " + url + " (sha256 " + sha256 + ") has no signature by the repository's key "
                    + signer.primaryFingerprint() + ", and this deploy did not build it: bytes it did not build are "
                    + "never signed, so nothing was written beside it. Deploy again with "
                    + console.words().set(Setting.REBUILD_PUBLISHED, "true") + " to build it and compare, or, if it is "
                    + "not yours, remove it by hand");
        }
        List<String> still = new ArrayList<>();
        List<String> added = new ArrayList<>();
        Map<String, String> files = new java.util.TreeMap<>();
        files.put(release.archiveName(), sha256);
        if (signer != null) {
            publishKey();
            byte[] signature = archiveSignature.isPresent() ? archiveSignature.get().content() : null;
            if (signature == null) {
                // Signed in the same read that hashes it: the signature covers exactly the proven bytes.
                signature = putSignature(target, key, signer.sign(local, sha256),
                        there -> checkSignature(target, key, local, there));
                added.add(release.archiveName() + SIG);
            }
            files.put(release.archiveName() + SIG, Sha256.of(signature));
        }
        if (symbols != null) {
            publishSymbols(target, symbols, ours, files, added, still);
        }
        for (Beside b : besides) {
            byte[] content = b.published.map(Repository.Versioned::content).orElse(null);
            if (content == null) {
                byte[] mine = b.ours.apply(sha256, ours);
                if (mine == null) {
                    still.add(b.name + " (" + b.whyNot.apply(ours) + ")");
                    continue;
                }
                content = putBeside(target, b, mine);
                added.add(b.name);
            }
            files.put(b.name, Sha256.of(content));
            if (signer == null) {
                continue;
            }
            byte[] signature = b.signature.map(Repository.Versioned::content).orElse(null);
            if (signature == null) {
                byte[] mine = b.ours.apply(sha256, ours);
                if (mine == null || !java.util.Arrays.equals(mine, content)) {
                    still.add(b.name + SIG + " (the published " + b.name + " is not the one this build made, and "
                            + "what this deploy did not make is never signed)");
                    continue;
                }
                byte[] signed = content;
                signature = putSignature(target, b.key, signer.sign(content),
                        there -> checkSignature(target, b.key, signed, there));
                added.add(b.name + SIG);
            } else {
                checkSignature(target, b.key, content, signature);
            }
            files.put(b.name + SIG, Sha256.of(signature));
        }
        String fingerprint = null;
        if (described != null) {
            // It names this archive (checked above), or no archive at all: then its fingerprint is not trusted.
            fingerprint = described.sha256() != null ? described.planFingerprint() : null;
        } else if (files.containsKey(besides.get(METADATA).name) && local != null) {
            fingerprint = ArchiveMetadata.read(ArchiveMetadata.fileFor(local)).planFingerprint();
        }
        if (entry.isEmpty() && !entryFromIndex) {
            putEntry(new Index.Entry(key, target, release.version(), release.distro(), release.distroName(),
                    release.distroVersion(), release.arch(), sha256, size, now(), fingerprint, files,
                    signer == null ? null : signer.primaryFingerprint(), release.variant()));
        }
        if (signer != null && entrySignature.isEmpty()) {
            // The entry object (written above, by an earlier deploy, or made from the index's entry) names this archive.
            byte[] content = repository.get(entryKey).map(Repository.Versioned::content).orElse(null);
            if (entryFromIndex && content == null) {
                sync.syncIndex(key, target);
                content = repository.get(entryKey).map(Repository.Versioned::content).orElse(null);
            }
            String wrong = content == null ? "it cannot be read back" : entryDiffers(Index.parseEntry(content,
                    repository.url(entryKey)), key, release, sha256, size, files);
            if (wrong == null) {
                byte[] signed = content;
                putSignature(target, entryKey, signer.sign(content), there -> checkSignature(target, entryKey, signed,
                        there));
                added.add(entryName + SIG);
            } else {
                still.add(entryName + SIG + " (" + wrong + "; what this deploy cannot vouch for is never signed)");
            }
        } else if (signer != null) {
            checkSignature(target, entryKey, repository.get(entryKey).orElseThrow(() -> new IOException(entryKey
                    + " disappeared")).content(), entrySignature.get().content());
        }
        sync.syncIndex(key, target);
        sync.syncDerived(target);
        if (uploaded) {
            console.info(target + ": published " + url);
            if (!still.isEmpty()) {
                console.warn(target + ": still missing beside " + url + ": " + String.join("; ", still));
            }
            return new Published(target, url, Outcome.PUBLISHED, still);
        }
        if (entry.isEmpty()) {
            added.add(entryName + (entryFromIndex ? " (from " + INDEX + "'s entry)" : ""));
        }
        if (listed == null) {
            added.add(indexEntry);
        }
        console.info(target + ": already published: " + url + " (sha256 " + sha256 + "); completed: "
                + String.join(", ", added));
        if (!still.isEmpty()) {
            console.warn(target + ": still missing beside " + url + ": " + String.join("; ", still));
        }
        return new Published(target, url, Outcome.COMPLETED, still);
    }

    /**
     * What an entry object found published says that this deploy cannot vouch for, or null when it describes the
     * archive as this deploy knows it: the key, target, version, distro, arch, sha256 and size, and only files
     * published beside it with the checksums they have.
     */
    private static String entryDiffers(Index.Entry e, String key, Release release, String sha256, long size,
                                       Map<String, String> files) {
        if (!key.equals(e.key()) || !sha256.equals(e.sha256()) || size != e.size()
                || !java.util.Objects.equals(release.target(), e.target())
                || !java.util.Objects.equals(release.version(), e.version())
                || !java.util.Objects.equals(release.variant(), e.variantOrDefault())
                || !java.util.Objects.equals(release.distro(), e.distro())
                || !java.util.Objects.equals(release.arch(), e.arch())) {
            return "the entry object names " + e.target() + " " + e.key() + " (sha256 " + e.sha256() + ", " + e.size()
                    + " bytes), not " + release.target() + " " + key + " (sha256 " + sha256 + ", " + size + " bytes)";
        }
        if (e.files() != null) {
            for (Map.Entry<String, String> f : e.files().entrySet()) {
                if (!f.getValue().equals(files.get(f.getKey()))) {
                    return "the entry object lists " + f.getKey() + " with sha256 " + f.getValue() + ", and "
                            + (files.containsKey(f.getKey()) ? "the published one has " + files.get(f.getKey())
                            : "no such file is published beside the archive");
                }
            }
        }
        return null;
    }

    /**
     * A runtime's companion symbols archive ({@code archive.symbols: separate}), as its metadata names it, and what is
     * published of it.
     *
     * @param local the file this deploy built, when it is the one the metadata names (by SHA-256), or null
     */
    private record SymbolsArchive(String name, String key, String sha256, Path local,
                                  Optional<String> published, Optional<Repository.Versioned> sidecar,
                                  Optional<Repository.Versioned> signature,
                                  Optional<Repository.Versioned> sidecarSignature) {
        /** The {@code .sha256} line this deploy writes. */
        byte[] line() {
            return Sha256Sidecar.line(sha256, name).getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * The symbols archive the metadata of the archive with sha256 {@code recorded} names (this build's metadata when
     * it describes those bytes, else the published one), or null when it names none. Its name must be the one the
     * runtime's name gives: a metadata file cannot point a deploy at another key.
     */
    private SymbolsArchive symbolsArchive(Release release, Path local, Optional<Repository.Versioned> publishedMeta,
                                          String recorded) throws UserError, IOException {
        JsonNode named = null;
        Path localFile = null;
        Path localMeta = local == null ? null : ArchiveMetadata.fileFor(local);
        if (localMeta != null && Files.isRegularFile(localMeta)) {
            ArchiveMetadata meta = ArchiveMetadata.read(localMeta);
            if (recorded.equals(meta.sha256()) && meta.symbols() != null) {
                named = JSON.valueToTree(meta.symbols());
                localFile = local.resolveSibling(meta.symbols().archive());
            }
        }
        if (named == null && publishedMeta.isPresent()) {
            try {
                JsonNode node = JSON.readTree(publishedMeta.get().content());
                if (node != null && recorded.equals(node.path("sha256").asText(null)) && node.has("symbols")) {
                    named = node.get("symbols");
                }
            } catch (IOException unreadable) {
                return null;
            }
        }
        if (named == null) {
            return null;
        }
        String expected = dev.pyruntime.manifest.Manifest.Archive.symbolsName(release.archiveName());
        String name = named.path("archive").asText("");
        String sha256 = named.path("sha256").asText("");
        if (!expected.equals(name) || !Sha256.isValid(sha256)) {
            throw new UserError(release.target() + ": the metadata of " + release.archiveName() + " names the symbols "
                    + "archive " + dev.pyruntime.Chars.shown(name) + " (sha256 " + dev.pyruntime.Chars.shown(sha256)
                    + "), not " + expected + " with a SHA-256; nothing of it was published. If that metadata is not "
                    + "yours, remove " + repository.url(prefix + ArchiveMetadata.nameFor(release.archiveName()))
                    + " by hand");
        }
        if (localFile != null && (!Files.isRegularFile(localFile) || !Sha256.of(localFile).equals(sha256))) {
            localFile = null;
        }
        String key = prefix + name;
        Optional<String> published = repository.sha256(key);
        if (published.isPresent() && !published.get().equals(sha256)) {
            throw contradiction(release.target(), key, "has sha256 " + published.get() + " where the metadata names "
                    + sha256, recorded);
        }
        Optional<Repository.Versioned> sidecar = repository.get(key + ".sha256");
        if (sidecar.isPresent()) {
            checkSidecar(key + ".sha256", sidecar.get().content(), sha256, release);
        }
        return new SymbolsArchive(name, key, sha256, localFile, published, sidecar,
                signer == null ? Optional.empty() : repository.get(key + SIG),
                signer == null ? Optional.empty() : repository.get(key + ".sha256" + SIG));
    }

    /**
     * Uploads what is missing of the symbols archive (never replacing anything) and its {@code .sha256}, and signs
     * them when this deploy built them; lists what is published of it in {@code files}.
     */
    private void publishSymbols(String target, SymbolsArchive symbols, boolean ours, Map<String, String> files,
                                List<String> added, List<String> still) throws UserError, IOException {
        if (!ours || symbols.local() == null) {
            // Only the build that made the runtime vouches for its debug files: they are neither uploaded, listed nor
            // signed by a deploy that has not got them byte for byte.
            if (symbols.published().isEmpty() || symbols.sidecar().isEmpty()
                    || signer != null && (symbols.signature().isEmpty() || symbols.sidecarSignature().isEmpty())) {
                still.add(symbols.name() + " (it comes only from the build that made the runtime, and this deploy "
                        + "has not got it: deploy again with " + console.words().set(Setting.REBUILD_PUBLISHED, "true")
                        + " to build it and compare)");
            }
            return;
        }
        if (symbols.published().isEmpty() && putImmutable(symbols.key(), symbols.local(), symbols.sha256(), target)) {
            added.add(symbols.name());
        }
        files.put(symbols.name(), symbols.sha256());
        String sidecarKey = symbols.key() + ".sha256";
        byte[] sidecar = symbols.sidecar().map(Repository.Versioned::content).orElse(null);
        if (sidecar == null) {
            sidecar = putBeside(target, new Beside(symbols.name() + ".sha256", sidecarKey, Optional.empty(),
                    Optional.empty(), null, null), symbols.line());
            checkSidecar(sidecarKey, sidecar, symbols.sha256(), null);
            added.add(symbols.name() + ".sha256");
        }
        files.put(symbols.name() + ".sha256", Sha256.of(sidecar));
        if (signer == null) {
            return;
        }
        Path file = symbols.local();
        byte[] signature = symbols.signature().map(Repository.Versioned::content).orElse(null);
        if (signature == null) {
            // Signed in the same read that hashes it: the signature covers exactly the bytes the metadata names.
            signature = putSignature(target, symbols.key(), signer.sign(file, symbols.sha256()),
                    published -> checkSignature(target, symbols.key(), file, published));
            added.add(symbols.name() + SIG);
        } else {
            checkSignature(target, symbols.key(), file, signature);
        }
        files.put(symbols.name() + SIG, Sha256.of(signature));
        byte[] sums = sidecar;
        byte[] sidecarSig = symbols.sidecarSignature().map(Repository.Versioned::content).orElse(null);
        if (sidecarSig == null) {
            if (!java.util.Arrays.equals(sums, symbols.line())) {
                still.add(symbols.name() + ".sha256" + SIG + " (the published " + symbols.name() + ".sha256 is not "
                        + "the line this deploy writes, and what this deploy did not make is never signed)");
                return;
            }
            sidecarSig = putSignature(target, sidecarKey, signer.sign(sums),
                    published -> checkSignature(target, sidecarKey, sums, published));
            added.add(symbols.name() + ".sha256" + SIG);
        } else {
            checkSignature(target, sidecarKey, sums, sidecarSig);
        }
        files.put(symbols.name() + ".sha256" + SIG, Sha256.of(sidecarSig));
    }

    /** The index of the metadata among {@link #besides}. */
    private static final int METADATA = 1;

    /**
     * A file published beside an archive, in publishing order: what is published of it and of its signature, and
     * what this deploy would write when it is missing.
     *
     * @param ours   given the proven archive's sha256 and whether the archive is this build's own, the bytes this
     *               deploy writes, or null when it has none to write
     * @param whyNot given whether the archive is this build's own, why this deploy has none
     */
    private record Beside(String name, String key, Optional<Repository.Versioned> published,
                          Optional<Repository.Versioned> signature, Ours ours,
                          java.util.function.Function<Boolean, String> whyNot) {
    }

    @FunctionalInterface
    private interface Ours {
        byte[] apply(String sha256, boolean ours) throws IOException, UserError;
    }

    /**
     * The SBOM, provenance, {@code .sha256} and metadata of the archive at {@code key}, in the order they are published,
     * each checked against the archive: one that describes other bytes fails the deploy, naming it.
     */
    private List<Beside> besides(Release release, String key, Path local, String recorded) throws UserError, IOException {
        String target = release.target();
        String archiveName = release.archiveName();
        Path localMetadata = local == null ? null : ArchiveMetadata.fileFor(local);
        boolean built = local != null && Files.isRegularFile(local) && Files.isRegularFile(localMetadata);
        java.util.function.Function<Boolean, String> onlyFromOurs = ours -> "it comes only from a build whose archive "
                + "is byte-identical to the published one, and " + (built && !ours ? "the archive in "
                + local.getParent() + " has other bytes, so its files cannot describe the published one"
                : "this deploy built none") + ": deploy again with "
                + console.words().set(Setting.REBUILD_PUBLISHED, "true") + " to build it and compare";
        List<Beside> out = new ArrayList<>();
        String sbomName = Sbom.nameFor(archiveName);
        String provenanceName = Provenance.nameFor(archiveName);
        String metadataName = ArchiveMetadata.nameFor(archiveName);
        // The provenance names the SBOM and the metadata by digest: both are published before it.
        for (String name : List.of(sbomName, metadataName, provenanceName, archiveName + ".sha256")) {
            String k = prefix + name;
            Optional<Repository.Versioned> published = repository.get(k);
            Ours ours;
            if (name.endsWith(".sha256")) {
                ours = (sha, mine) -> Sha256Sidecar.line(sha, archiveName).getBytes(StandardCharsets.UTF_8);
                if (published.isPresent()) {
                    checkSidecar(k, published.get().content(), recorded, release);
                }
            } else {
                Path file = local == null ? null : local.resolveSibling(name);
                ours = (sha, mine) -> {
                    if (!mine || file == null || !Files.isRegularFile(file)
                            || !sha.equals(ArchiveMetadata.read(localMetadata).sha256())) {
                        return null;
                    }
                    byte[] bytes = dev.pyruntime.SmallFiles.readBytes(file, 64 << 20, name);
                    // Only a file that itself describes the archive is published or signed.
                    return sha.equals(describedSha256(name, bytes)) ? bytes : null;
                };
                if (published.isPresent()) {
                    String says = describedSha256(name, published.get().content());
                    if (says != null && !says.equals(recorded)) {
                        throw contradiction(target, k, "describes an archive with sha256 " + says, recorded);
                    }
                }
            }
            Optional<Repository.Versioned> signature = signer == null ? Optional.empty() : repository.get(k + SIG);
            out.add(new Beside(name, k, published, signature, ours, name.endsWith(".sha256") ? x -> "" : onlyFromOurs));
        }
        return out;
    }

    /** The archive checksum a published SBOM, provenance or metadata states, or null when it states none that can be read. */
    private static String describedSha256(String name, byte[] content) {
        try {
            JsonNode node = JSON.readTree(content);
            if (node == null) {
                return null;
            }
            String sha = name.endsWith(Sbom.SUFFIX) ? node.at("/metadata/component/hashes/0/content").asText(null)
                    : name.endsWith(Provenance.SUFFIX) ? node.at("/subject/0/digest/sha256").asText(null)
                    : node.path("sha256").asText(null);
            return sha != null && Sha256.isValid(sha) ? sha : null;
        } catch (IOException unreadable) {
            return null;
        }
    }

    /** Creates {@code b}'s object with {@code content} unless another deploy did first; returns what is published. */
    private byte[] putBeside(String target, Beside b, byte[] content) throws UserError, IOException {
        if (!repository.putIfAbsent(b.key, content)) {
            console.debug(target + ": " + repository.url(b.key) + " was written by another deploy at the same time");
            return repository.get(b.key).orElseThrow(() -> new IOException(b.key + " disappeared")).content();
        }
        return content;
    }

    /** A check of a signature found published. */
    @FunctionalInterface
    private interface Check {
        void run(byte[] published) throws UserError, IOException;
    }

    /**
     * Creates the signature {@code key.asc}; when another deploy made one first, {@code whenThere} checks it (a
     * signature that is there must be a good one by this key). Returns the signature that is published.
     */
    private byte[] putSignature(String target, String key, byte[] signature, Check whenThere)
            throws UserError, IOException {
        byte[] published = signature;
        if (!repository.putIfAbsent(key + SIG, signature)) {
            published = repository.get(key + SIG).orElseThrow(() -> new IOException(key + SIG + " disappeared"))
                    .content();
            whenThere.run(published);
        }
        console.debug(target + ": " + repository.url(key + SIG) + " is in place");
        return published;
    }

    /** Checks the published {@code signature} of {@code key} over the file that holds its bytes. */
    private void checkSignature(String target, String key, Path file, byte[] signature) throws UserError, IOException {
        try {
            sync.mine().verify(file, signature);
        } catch (BadSignature e) {
            throw badSignature(target, key, e);
        }
    }

    /** Checks the published {@code signature} of {@code key} over its bytes {@code content}. */
    private void checkSignature(String target, String key, byte[] content, byte[] signature)
            throws UserError, IOException {
        try {
            sync.mine().verify(key, content, signature);
        } catch (BadSignature e) {
            throw badSignature(target, key, e);
        }
    }

    private UserError badSignature(String target, String key, BadSignature e) {
        return new UserError(target + ": " + repository.url(key + SIG) + " " + e.getMessage() + " (checked with the "
                + "repository's key " + signer.primaryFingerprint() + "). Consumers' gpg --verify fails on it, and a "
                + "published file is never overwritten: check which is right, and replace or remove " + key + SIG
                + " by hand");
    }

    /**
     * Publishes the signing key's public key at the repository root as {@code <fingerprint>.asc}, once; a key file
     * there must hold that key.
     */
    private void publishKey() throws UserError, IOException {
        if (keyPublished) {
            return;
        }
        String key = prefix + signer.primaryFingerprint() + SIG;
        if (!repository.putIfAbsent(key, signer.publicKeyArmored())) {
            byte[] there = repository.get(key).orElseThrow(() -> new IOException(key + " disappeared")).content();
            SignatureCheck.load(there, repository.url(key), signer.primaryFingerprint(), "it is the public key "
                    + "consumers import: replace it by hand with gpg --export --armor " + signer.primaryFingerprint());
        }
        keyPublished = true;
    }

    /**
     * Proves, from its bytes, that the archive published at {@code key} is one this deploy may vouch for: the archive
     * it verified itself ({@code local}, whose SHA-256 is {@code verifiedSha256}) byte for byte, or else a download of
     * it that passes {@link Vouch#verify}. The store's recorded checksum is no proof: whoever can write the object can write
     * its metadata.
     *
     * @return the published bytes' digest
     * @throws UserError naming the key and the sha256 found, when it is not proven
     */
    private Repository.Digest vouchFor(Release release, String key, Path local, String verifiedSha256,
                                       String recorded, ProvenFile check) throws UserError, IOException {
        String target = release.target();
        String url = repository.url(key);
        if (verifiedSha256 != null) {
            Repository.Digest published = undamaged(target, url, repository.digest(key), recorded);
            if (!published.sha256().equals(verifiedSha256)) {
                throw conflict(target, key, published.sha256(), local, verifiedSha256);
            }
            check.accept(local);
            return published;
        }
        if (vouch == null || scratch == null) {
            Repository.Digest published = repository.digest(key).orElseThrow(() -> new IOException(url + " disappeared"));
            throw new UserError(target + ": " + url + " (sha256 " + published.sha256() + ") was not uploaded by this "
                    + "deploy, and this deploy cannot verify it, so nothing was written beside it. Deploy the target "
                    + "with the plugin's deploy goal, which downloads and verifies it first");
        }
        // A directory of this call's own: another deploy sharing the output directory cannot swap the bytes verified.
        Path dir = Files.createTempDirectory(Files.createDirectories(scratch), target + "-");
        Path file = dir.resolve(release.archiveName());
        try {
            Repository.Digest published = undamaged(target, url, repository.download(key, file, MAX_ARCHIVE_BYTES),
                    recorded);
            console.info(target + ": " + url + " is published (sha256 " + published.sha256() + ") but not by this "
                    + "deploy: verifying its bytes before completing it");
            try {
                vouch.verify(release, file);
            } catch (UserError e) {
                throw new UserError(target + ": " + url + " holds an archive with sha256 " + published.sha256()
                        + " that this deploy did not upload and that does not pass verify, so nothing was written "
                        + "beside it. If it is not yours, remove it by hand and deploy again.\n" + e.getMessage(), e);
            }
            check.accept(file);
            return published;
        } finally {
            // Only the report stays, for whoever wants to see why.
            Files.deleteIfExists(file);
            for (String unpacked : List.of("verify", "verify-ext", "verify-embed")) {
                dev.pyruntime.compile.Cleanup.delete(dir.resolve(unpacked));
            }
        }
    }

    /** A check of the proven archive's bytes. */
    @FunctionalInterface
    private interface ProvenFile {
        void accept(Path file) throws UserError, IOException;
    }

    /** What reading the published archive found, which must be what the store recorded when it was uploaded. */
    private static Repository.Digest undamaged(String target, String url, Optional<Repository.Digest> read,
                                               String recorded) throws UserError, IOException {
        Repository.Digest digest = read.orElseThrow(() -> new IOException(url + " disappeared"));
        if (!digest.sha256().equals(recorded)) {
            throw new UserError(target + ": " + url + " has sha256 " + digest.sha256() + ", but the store recorded "
                    + recorded + " when it was uploaded: the published archive is damaged or was replaced. Nothing was "
                    + "completed; remove it by hand and deploy again if nobody can have used it");
        }
        return digest;
    }

    private UserError contradiction(String target, String key, String says, String sha256) {
        return new UserError(target + ": " + repository.url(key) + " " + says + ", but the published archive has sha256 "
                + sha256 + ". A published file is never overwritten: check which is right, and replace or remove "
                + key + " by hand");
    }

    private String now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Creates {@code key} unless it exists; an existing object must have the same bytes. Returns whether it created it. */
    private boolean putImmutable(String key, Path file, String sha256, String target) throws UserError, IOException {
        if (repository.putIfAbsent(key, file, sha256)) {
            return true;
        }
        String theirs = repository.sha256(key).orElse("(unreadable)");
        if (!theirs.equals(sha256)) {
            throw conflict(target, key, theirs, file, sha256);
        }
        return false;
    }

    private UserError conflict(String target, String key, String theirs, Path file, String sha256) {
        return new UserError(target + ": " + repository.url(key) + " is already published with sha256 " + theirs
                + ", and this build's " + file.getFileName() + " has sha256 " + sha256 + ". A published file is never "
                + "overwritten: publish a new version, or remove the object by hand if nobody can have used it");
    }

    private void checkSidecar(String key, byte[] content, String sha256, Release release) throws UserError {
        String text = new String(content, StandardCharsets.UTF_8).strip();
        String first = text.isEmpty() ? "" : text.split("\\s+")[0];
        if (!first.equals(sha256)) {
            throw new UserError((release != null ? release.target() + ": " : "") + repository.url(key) + " says '"
                    + (text.length() > 100 ? text.substring(0, 100) + "..." : text) + "', but the archive beside it has "
                    + "sha256 " + sha256 + ": consumers' `sha256sum -c` fails. A published file is never overwritten: "
                    + "check which is right, and replace the .sha256 by hand");
        }
    }

    /**
     * What published metadata says of its archive: its checksum and plan fingerprint, each null when it records none
     * that can be read.
     */
    private record Described(String sha256, String planFingerprint) {
        static Described of(byte[] metadata) {
            try {
                JsonNode node = JSON.readTree(metadata);
                if (node != null) {
                    return new Described(node.path("sha256").asText(null), node.path("planFingerprint").asText(null));
                }
            } catch (IOException unreadable) {
                // Nothing can be read from it: the entry then says the fingerprint is not known.
            }
            return new Described(null, null);
        }
    }

    private void putEntry(Index.Entry entry) throws UserError, IOException {
        String key = sync.entryKey(entry.key());
        if (!repository.putIfAbsent(key, entry.toJson())) {
            Index.Entry there = Index.parseEntry(repository.get(key).orElseThrow(() -> new IOException(key
                    + " disappeared")).content(), repository.url(key));
            if (!there.sha256().equals(entry.sha256())) {
                throw new UserError(entry.target() + ": " + repository.url(key) + " names sha256 " + there.sha256()
                        + ", but the published archive has " + entry.sha256() + ". A published entry is never "
                        + "overwritten: check which is right, and replace the entry object by hand");
            }
        }
    }
}
