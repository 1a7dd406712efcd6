package dev.pyruntime.publish;

import static dev.pyruntime.publish.Publisher.ENTRIES;
import static dev.pyruntime.publish.Publisher.INDEX;
import static dev.pyruntime.publish.Publisher.INDEX_ATTEMPTS;
import static dev.pyruntime.publish.Publisher.SIG;
import static dev.pyruntime.publish.Publisher.SUMS;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pyruntime.Console;
import dev.pyruntime.UserError;
import dev.pyruntime.sign.BadSignature;
import dev.pyruntime.sign.SignatureCheck;
import dev.pyruntime.sign.SigningKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The index and the files made from it, kept whole under concurrent deploys: {@code index.json} as the union of the
 * entry objects under {@code index.d/}, then {@code SHA256SUMS} (and, when signing, {@code SHA256SUMS.asc} and
 * {@code index.json.asc}) as the index says. Each is written with the store's compare-and-swap, which is not trusted to
 * be atomic: after each write it is read back, and written again until it holds everything it must (see
 * {@link Publisher}'s class comment). {@link Publisher} writes a runtime's own files, then calls this.
 */
final class IndexSync {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Console console;
    private final Repository repository;
    private final String prefix;
    private final SigningKey signer;
    private SignatureCheck mine;
    /** Entry objects found signed by this deploy's key, by archive key: they are never rewritten. */
    private final Map<String, ObjectNode> signedEntries = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param prefix the key prefix inside the repository, ending in {@code /}, or empty
     * @param signer the deploy's signing key, or null: then no signed file is made
     */
    IndexSync(Console console, Repository repository, String prefix, SigningKey signer) {
        this.console = console;
        this.repository = repository;
        this.prefix = prefix;
        this.signer = signer;
    }

    /** The signing key's public half as a signature check, loaded once. */
    SignatureCheck mine() throws UserError, IOException {
        if (mine == null) {
            mine = SignatureCheck.load(signer.publicKeyArmored(), "the signing key", signer.primaryFingerprint(),
                    "export it again with gpg --export-secret-keys --armor");
        }
        return mine;
    }

    /** The key of an archive's entry object under {@code index.d/}. */
    String entryKey(String archiveKey) {
        return prefix + ENTRIES + archiveKey.substring(prefix.length()) + ".json";
    }

    private Optional<Repository.Versioned> indexObject() throws UserError, IOException {
        return repository.get(prefix + INDEX);
    }

    /** The index as published, or an empty one when there is none yet. */
    Index read() throws UserError, IOException {
        Optional<Repository.Versioned> current = indexObject();
        return current.isPresent() ? Index.parse(current.get().content(), repository.url(prefix + INDEX)) : Index.empty();
    }

    /**
     * Brings {@code index.json} up to the entry objects under {@code index.d/}, until a read after this deploy's last
     * write shows every listed entry (see the class comment). Entries of the index without an entry object (from a
     * version before entry objects) get one, so the index can always be rebuilt from them.
     *
     * @param mustHave the archive key this deploy published or completed
     */
    void syncIndex(String mustHave, String target) throws UserError, IOException {
        String indexKey = prefix + INDEX;
        String where = repository.url(indexKey);
        IOException lastFailure = null;
        for (int attempt = 1; ; attempt++) {
            Optional<Repository.Versioned> current = indexObject();
            Index index = current.isPresent() ? Index.parse(current.get().content(), where) : Index.empty();
            List<String> listed = new ArrayList<>();
            for (String k : repository.list(prefix + ENTRIES)) {
                if (k.endsWith(".tar.zst.json")) {
                    listed.add(prefix + k.substring((prefix + ENTRIES).length(), k.length() - ".json".length()));
                }
            }
            backfill(index, listed);
            if (!listed.contains(mustHave)) {
                // Read by its key too: a listing that lags behind does not hold this deploy's own entry back.
                listed.add(mustHave);
            }
            List<ObjectNode> add = new ArrayList<>();
            for (String archiveKey : listed) {
                if (index.contains(archiveKey)) {
                    continue;
                }
                String k = entryKey(archiveKey);
                Optional<Repository.Versioned> entry = repository.get(k);
                // An entry object whose archive was removed by hand is not listed again.
                if (entry.isPresent() && (archiveKey.equals(mustHave) || repository.exists(archiveKey))) {
                    ObjectNode node = Index.entryNode(entry.get().content(), repository.url(k));
                    if (!node.get("key").asText().equals(archiveKey)) {
                        throw new UserError(repository.url(k) + " is the entry object of " + archiveKey + " but says "
                                + "\"key\": " + node.get("key") + ". Fix its key by hand (entry objects are never "
                                + "rewritten)");
                    }
                    add.add(node);
                }
            }
            if (add.isEmpty() && index.contains(mustHave)) {
                return;
            }
            if (add.isEmpty()) {
                throw new IOException(target + ": " + repository.url(entryKey(mustHave)) + " cannot be read back after "
                        + "it was written. The archive is published: deploy again to add it to the index");
            }
            if (attempt == INDEX_ATTEMPTS) {
                // Never end on a write: the check above is what makes the last write to land a complete one.
                break;
            }
            boolean written;
            try {
                written = repository.replaceIf(indexKey, index.with(add).toJson(),
                        current.map(Repository.Versioned::tag).orElse(null));
            } catch (IOException e) {
                // A store may refuse a conditional write by breaking the connection; whether it landed is read back.
                console.debug(target + ": writing " + where + " failed (attempt " + attempt + "): " + e.getMessage());
                lastFailure = e;
                written = false;
            }
            if (!written) {
                console.debug(target + ": " + where + " changed while adding to it (attempt " + attempt + "), retrying");
                pause(attempt, where);
            }
        }
        String why = lastFailure != null ? "; the last write failed: " + lastFailure.getMessage()
                : ": it kept changing under other deploys";
        throw new UserError(target + ": gave up adding " + mustHave + " to " + where + " after " + INDEX_ATTEMPTS
                + " attempts" + why + ". The archive and its entry object " + repository.url(entryKey(mustHave))
                + " are published: deploy again, and the index gets it", lastFailure);
    }

    /**
     * A file at the repository root made from the index, and kept whole under concurrent deploys as the index is:
     * {@code SHA256SUMS}, and when signing {@code SHA256SUMS.asc} and {@code index.json.asc}, which carry the same text
     * with a cleartext signature inside it. A changing file's signature is never a file of its own, so no reader can
     * pair one version with another version's signature.
     *
     * @param text    its text, made from the index
     * @param members what a text holds (lines, or index keys): a published version that holds all of {@code text}'s
     *                is complete
     */
    private record Derived(String name, boolean signed, java.util.function.Function<Index, String> text,
                           Members members) {
    }

    @FunctionalInterface
    private interface Members {
        java.util.Set<String> of(String text) throws UserError;
    }

    private List<Derived> derived() {
        Members lines = text -> new java.util.HashSet<>(List.of(text.split("\n")));
        Members keys = text -> new java.util.HashSet<>(Index.parse(text.getBytes(StandardCharsets.UTF_8), INDEX + SIG)
                .keys());
        List<Derived> out = new ArrayList<>();
        out.add(new Derived(SUMS, false, this::sums, lines));
        if (signer != null) {
            out.add(new Derived(SUMS + SIG, true, this::sums, lines));
            out.add(new Derived(INDEX + SIG, true, index -> {
                try {
                    // Cleartext signatures do not cover trailing blanks: a line's are dropped (JSON does not need them).
                    return new String(index.toJson(), StandardCharsets.UTF_8).replaceAll("[ \t]+\n", "\n");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, keys));
        }
        return out;
    }

    /** {@code SHA256SUMS}: every file of every runtime in the index, by its path from the repository's root. */
    private String sums(Index index) {
        java.util.TreeMap<String, String> lines = new java.util.TreeMap<>();
        for (Index.Entry e : index.runtimes()) {
            if (!e.key().startsWith(prefix)) {
                continue;
            }
            String path = e.key().substring(prefix.length());
            String dir = path.substring(0, path.lastIndexOf('/') + 1);
            if (e.files() != null) {
                e.files().forEach((name, sha) -> lines.put(dir + name, sha));
            } else {
                lines.put(path, e.sha256());
            }
        }
        StringBuilder out = new StringBuilder();
        // sha256sum escapes a name with a backslash or newline, and a cleartext signature drops trailing blanks;
        // python-runtime writes no such name, and leaves out any other.
        lines.forEach((path, sha) -> {
            if (path.indexOf('\\') < 0 && !path.endsWith(" ") && path.chars().noneMatch(c -> c < 0x20 || c == 0x7f)) {
                out.append(sha).append("  ").append(path).append('\n');
            }
        });
        return out.toString();
    }

    /**
     * Brings each {@link #derived} file up to the index, as {@link #syncIndex} brings the index up to the entry objects:
     * after each write it reads the file and the index back, until the file holds everything the index lists. Called
     * after the index holds this deploy's entry.
     */
    void syncDerived(String target) throws UserError, IOException {
        for (Derived d : derived()) {
            String key = prefix + d.name();
            String where = repository.url(key);
            IOException lastFailure = null;
            boolean done = false;
            for (int attempt = 1; attempt <= INDEX_ATTEMPTS && !done; attempt++) {
                Index index = read();
                String text = d.text().apply(d.signed() ? signedBy(index) : index);
                if (text.isEmpty()) {
                    done = true;
                    break;
                }
                Optional<Repository.Versioned> current = repository.get(key);
                if (current.isPresent() && covers(d, current.get().content(), text, key)) {
                    done = true;
                    break;
                }
                if (attempt == INDEX_ATTEMPTS) {
                    break;
                }
                byte[] content = d.signed() ? signer.clearsign(text) : text.getBytes(StandardCharsets.UTF_8);
                boolean written;
                try {
                    written = repository.replaceIf(key, content, current.map(Repository.Versioned::tag).orElse(null));
                } catch (IOException e) {
                    console.debug(target + ": writing " + where + " failed (attempt " + attempt + "): " + e.getMessage());
                    lastFailure = e;
                    written = false;
                }
                if (!written) {
                    pause(attempt, where);
                }
            }
            if (!done) {
                throw new UserError(target + ": gave up bringing " + where + " up to " + repository.url(prefix + INDEX)
                        + " after " + INDEX_ATTEMPTS + " attempts" + (lastFailure != null ? "; the last write failed: "
                        + lastFailure.getMessage() : ": it kept changing under other deploys") + ". Everything else is "
                        + "published: deploy again, and it is brought up to date", lastFailure);
            }
        }
    }

    /**
     * The runtimes of {@code index} that this deploy's key vouches for: those whose entry object has a good signature
     * by it, each as its entry object says (not as the index, which anyone who can write it can edit, says). What the
     * signed index and checksums list is no more than what the key signed, one runtime at a time.
     */
    private Index signedBy(Index index) throws IOException {
        List<ObjectNode> nodes = new ArrayList<>();
        for (String archiveKey : index.keys()) {
            ObjectNode node = signedEntries.get(archiveKey);
            if (node == null) {
                String k = entryKey(archiveKey);
                try {
                    Optional<Repository.Versioned> entry = repository.get(k);
                    Optional<Repository.Versioned> signature = repository.get(k + SIG);
                    if (entry.isEmpty() || signature.isEmpty()) {
                        continue;
                    }
                    mine().verify(k, entry.get().content(), signature.get().content());
                    node = Index.entryNode(entry.get().content(), repository.url(k));
                    if (!archiveKey.equals(node.path("key").asText())) {
                        continue;
                    }
                } catch (BadSignature | UserError notOurs) {
                    continue;
                }
                signedEntries.put(archiveKey, node);
            }
            nodes.add(node);
        }
        return Index.empty().with(nodes);
    }

    /**
     * Whether the published {@code content} of {@code d} holds everything {@code text} holds; a signed one must also
     * carry a good signature by this deploy's key, or it is written again.
     */
    private boolean covers(Derived d, byte[] content, String text, String key) throws IOException {
        String published = new String(content, StandardCharsets.UTF_8);
        if (d.signed()) {
            try {
                published = mine().verifyCleartext(key, published);
            } catch (BadSignature | UserError notOurs) {
                return false;
            }
        }
        try {
            return d.members().of(published).containsAll(d.members().of(text));
        } catch (UserError unreadable) {
            return false;
        }
    }

    /** Gives every index entry that has no entry object one, made from the index's own entry (unknown fields kept). */
    private void backfill(Index index, List<String> listed) throws UserError, IOException {
        for (String archiveKey : index.keys()) {
            if (!listed.contains(archiveKey) && archiveKey.startsWith(prefix) && repository.exists(archiveKey)) {
                byte[] json = (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(index.node(archiveKey)) + "\n")
                        .getBytes(StandardCharsets.UTF_8);
                if (repository.putIfAbsent(entryKey(archiveKey), json)) {
                    console.debug(repository.url(entryKey(archiveKey)) + ": made from " + INDEX + "'s entry");
                }
            }
        }
    }

    private static void pause(int attempt, String where) throws IOException {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(20, 60L * Math.min(attempt, 10) + 21));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while updating " + where, e);
        }
    }
}
