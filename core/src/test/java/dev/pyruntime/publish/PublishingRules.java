package dev.pyruntime.publish;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyruntime.Console;
import dev.pyruntime.Sha256;
import dev.pyruntime.UserError;
import dev.pyruntime.archive.ArchiveMetadata;
import dev.pyruntime.archive.Provenance;
import dev.pyruntime.archive.Sbom;
import dev.pyruntime.publish.Publisher.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The publishing rules every repository keeps, proven against a real store (a directory, a real S3 server) with real
 * threads racing for keys and the index. Each concurrent deploy opens its own repository, as separate Maven processes
 * would.
 */
abstract class PublishingRules {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    static final Console QUIET = new Console() {
        @Override
        public void info(String line) {
        }

        @Override
        public void warn(String line) {
        }

        @Override
        public void debug(String line) {
        }

        @Override
        public boolean isDebug() {
            return false;
        }
    };

    /** An archive with its .sha256 and metadata, as package writes them, in its own directory. */
    Path archive(String dir, String version, String content) throws IOException {
        return archive(dir, version, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    Path archive(String dir, String version, byte[] content) throws IOException {
        return archive(dir, version, "default", content);
    }

    /** A variant's ({@code freethreaded}; {@code default} for the default build). */
    Path archive(String dir, String version, String variant, byte[] content) throws IOException {
        String target = version + dev.pyruntime.manifest.Variant.suffix(variant) + "-debian-12-amd64";
        Path archive = Files.createDirectories(tmp.resolve(dir)).resolve("python-" + target + ".tar.zst");
        Files.write(archive, content);
        String sha = Sha256.of(archive);
        verified.add(sha);
        Files.writeString(archive.resolveSibling(archive.getFileName() + ".sha256"), sha + "  " + archive.getFileName() + "\n");
        ArchiveMetadata meta = new ArchiveMetadata(1, archive.getFileName().toString(), sha, Files.size(archive), target,
                version, variant, "debian-12", "debian", "12", "amd64", "Python-" + version + ".tgz", "0".repeat(64), "f".repeat(64),
                "test", List.of(), "host", "x86_64-linux-gnu", "/tmp/p", 0, 0, 22, 27, List.of(), Map.of(), Map.of(),
                Map.of(), "1.21.22", null, null);
        meta.write(ArchiveMetadata.fileFor(archive), null);
        // The SBOM and provenance, as package writes them beside the archive.
        Path sbom = Sbom.write(archive, meta, List.of());
        Provenance.write(archive, PLAN, meta, null, List.of(ArchiveMetadata.fileFor(archive), sbom));
        return archive;
    }

    static final dev.pyruntime.plan.BuildPlan PLAN;

    static {
        try {
            PLAN = dev.pyruntime.plan.PlanJson.read(Path.of("src/test/resources/installed/3.11.2/plan.json"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The checksums of the archives this test made: what its verify passes. */
    final java.util.Set<String> verified = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Verify's verdict on a downloaded archive, for archives made of test bytes: the test's own pass, anything else
     * fails as verify fails an archive that is not one. {@link #realVerify} runs the real one.
     */
    final Publisher.Vouch testVerify = (release, file) -> {
        if (!verified.contains(Sha256.of(file))) {
            throw new UserError("verify failed: " + file.getFileName() + " is not an archive this test made");
        }
    };

    /** The real verify, with its programs in the sandbox, as deploy runs it on a downloaded archive. */
    static final Publisher.Vouch realVerify = (release, file) -> {
        dev.pyruntime.plan.BuildPlan plan = dev.pyruntime.plan.PlanJson.read(
                Path.of("src/test/resources/installed/3.11.2/plan.json"));
        dev.pyruntime.verify.Verifier.Result r = new dev.pyruntime.verify.Verifier(QUIET,
                new dev.pyruntime.env.HostEnvironment(dev.pyruntime.env.HostInfo.detect()), null)
                .verify(plan, dev.pyruntime.verify.VerifySpec.of(plan), file, file.getParent(), false);
        if (!r.failures().isEmpty()) {
            throw dev.pyruntime.verify.Verifier.failure(List.of(r));
        }
    };

    Publisher publisher(Repository repo) {
        return publisher(repo, testVerify);
    }

    Publisher publisher(Repository repo, Publisher.Vouch vouch) {
        return new Publisher(QUIET, repo, "", false, CLOCK).verifyingWith(vouch, tmp.resolve("deploy-verify"));
    }

    /**
     * A key made with Debian's gpg, exported as a publisher puts it in MAVEN_GPG_KEY, once for all the tests; and a
     * consumer's gpg home that has imported nothing yet.
     */
    static final class Keys {
        static final String PASSPHRASE = "test passphrase";
        static Path dir;
        static String armored;
        static String primary;

        static synchronized dev.pyruntime.sign.SigningKey signer() throws Exception {
            if (armored == null) {
                dir = Files.createTempDirectory("pr-keys");
                try (dev.pyruntime.sign.Gpg gpg = new dev.pyruntime.sign.Gpg(dir.resolve("publisher"))) {
                    primary = gpg.makeKey("Runtime Releases <releases@example.org>", PASSPHRASE);
                    armored = gpg.exportSecret(primary, PASSPHRASE);
                }
            }
            return dev.pyruntime.sign.SigningKey.configured(Map.of(dev.pyruntime.sign.SigningKey.ENV_KEY, armored,
                    dev.pyruntime.sign.SigningKey.ENV_PASSPHRASE, PASSPHRASE), null, null, "keyFile");
        }
    }

    Outcome publishSigned(Path archive) throws Exception {
        try (Repository repo = open()) {
            return publisher(repo).signingWith(Keys.signer()).publish(archive).outcome();
        }
    }

    /** A copy of everything published, as {@code aws s3 sync} or {@code rsync} makes one. */
    Path synced(String name) throws Exception {
        Path copy = Files.createDirectories(tmp.resolve(name));
        try (Repository repo = open()) {
            java.util.Set<String> keys = new java.util.TreeSet<>(repo.list(""));
            keys.addAll(repo.list(Publisher.ENTRIES));
            for (String key : keys) {
                Path file = copy.resolve(key);
                Files.createDirectories(file.getParent());
                Files.write(file, object(key).orElseThrow());
            }
        }
        return copy;
    }

    /** Runs a consumer's command in {@code dir}; returns its exit status and output. */
    static String[] consumer(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        return new String[]{String.valueOf(p.waitFor()), out};
    }

    /** A new client of the store under test; each test has a store (or a part of one) of its own. */
    abstract Repository open() throws Exception;

    /** The bytes of an object, read from the store directly; empty if there is none. */
    abstract java.util.Optional<byte[]> object(String key) throws Exception;

    /** What an interrupted or refused upload could have left behind (temp files, unfinished uploads). */
    abstract List<String> leftovers() throws Exception;

    Outcome publish(Path archive) throws Exception {
        try (Repository repo = open()) {
            return publisher(repo).publish(archive).outcome();
        }
    }

    Index index() throws Exception {
        return Index.parse(object(Publisher.INDEX).orElseThrow(), Publisher.INDEX);
    }

    /** Removes an object from the store directly, as an interrupted deploy (or a person) leaves it. */
    abstract void delete(String key) throws Exception;

    /** Writes an object to the store directly, as another tool or version would. */
    abstract void put(String key, byte[] content) throws Exception;

    Publisher.Release release(String version) {
        String target = version + "-debian-12-amd64";
        return new Publisher.Release(target, version, "debian-12", "debian", "12", "amd64", "python-" + target + ".tar.zst");
    }

    Publisher.Published complete(Publisher.Release release, Path local) throws Exception {
        try (Repository repo = open()) {
            return publisher(repo).complete(release, local);
        }
    }

    @Test
    void publishesArchiveSidecarMetadataAndIndexThenSkipsTheSameBytes() throws Exception {
        Path a = archive("build", "3.11.2", "archive bytes");

        assertEquals(Outcome.PUBLISHED, publish(a));
        String name = a.getFileName().toString();
        assertArrayEquals(Files.readAllBytes(a), object(name).orElseThrow());
        assertArrayEquals(Files.readAllBytes(a.resolveSibling(name + ".sha256")), object(name + ".sha256").orElseThrow());
        assertArrayEquals(Files.readAllBytes(ArchiveMetadata.fileFor(a)), object("python-3.11.2-debian-12-amd64.json").orElseThrow());
        Index.Entry e = index().find(name);
        assertEquals(Sha256.of(a), e.sha256());
        assertEquals("3.11.2", e.version());
        assertEquals(Files.size(a), e.size());
        assertEquals("2026-11-24T12:00:00Z", e.publishedAt());
        assertEquals("f".repeat(64), e.planFingerprint());

        byte[] indexBefore = object(Publisher.INDEX).orElseThrow();
        Path same = archive("rebuild", "3.11.2", "archive bytes");
        assertEquals(Outcome.ALREADY_PUBLISHED, publish(same));
        assertArrayEquals(indexBefore, object(Publisher.INDEX).orElseThrow(), "the index did not change");
        assertEquals(List.of(), leftovers());
    }

    @Test
    void differentBytesUnderAPublishedKeyFailNamingBothChecksumsAndChangeNothing() throws Exception {
        Path a = archive("first", "3.11.2", "the published bytes");
        publish(a);
        Path b = archive("second", "3.11.2", "other bytes");

        UserError e = assertThrows(UserError.class, () -> publish(b));
        assertTrue(e.getMessage().contains("is already published with sha256 " + Sha256.of(a)), e.getMessage());
        assertTrue(e.getMessage().contains("has sha256 " + Sha256.of(b)), e.getMessage());
        assertTrue(e.getMessage().contains("never overwritten"), e.getMessage());
        assertArrayEquals(Files.readAllBytes(a), object(a.getFileName().toString()).orElseThrow());
        assertEquals(Sha256.of(a), index().find(a.getFileName().toString()).sha256());
        assertEquals(List.of(), leftovers());
    }

    /**
     * Rounds of eight deploys of different targets at the same moment, each with its own client, into one repository
     * whose index grows: after each round, every archive published so far has its entry. The rounds are
     * {@code -Dpublish.rounds} (3 in the test run; bench/publish-concurrency runs 30), and a summary line is printed.
     */
    @Test
    void concurrentDeploysOfDifferentTargetsLoseNoIndexEntry() throws Exception {
        int rounds = Integer.getInteger("publish.rounds", 3);
        int deploys = Integer.getInteger("publish.deploys", 8);
        List<Path> published = new ArrayList<>();
        int lost = 0;
        long start = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
            List<Path> archives = new ArrayList<>();
            for (int i = 0; i < deploys; i++) {
                archives.add(archive("r" + round + "d" + i, "3." + round + "." + i, "runtime " + round + "/" + i));
            }
            List<Outcome> outcomes = race(archives.stream().map(a -> (Callable<Outcome>) () -> publish(a)).toList());
            assertEquals(List.of(), outcomes.stream().filter(o -> o != Outcome.PUBLISHED).toList());
            published.addAll(archives);
            Index index = index();
            for (Path a : published) {
                Index.Entry e = index.find(a.getFileName().toString());
                if (e == null) {
                    lost++;
                } else {
                    assertEquals(Sha256.of(a), e.sha256());
                }
            }
        }
        System.out.printf("index race (%s): %d rounds x %d concurrent deploys: %d published, %d entries lost, in %.1f s%n",
                getClass().getSimpleName(), rounds, deploys, published.size(), lost, (System.nanoTime() - start) / 1e9);
        assertEquals(0, lost, "entries missing from the index right after their deploys returned");
        assertEquals(published.size(), index().runtimes().size());
        Path synced = synced("synced");
        String[] sums = consumer(synced, "sha256sum", "--strict", "-c", "SHA256SUMS");
        assertEquals("0", sums[0], sums[1]);
        assertEquals(published.size() * 5, sums[1].lines().filter(l -> l.endsWith(": OK")).count(), sums[1]);
        // Each round's series resolves to its newest patch, whichever deploy of the round wrote the index last: a
        // consumer asks for "3.1" with jq, as docs/consumers.md shows.
        for (int round = 0; round < rounds; round++) {
            String[] key = consumer(synced, "jq", "-r", ".aliases[\"3." + round + "-debian-12-amd64\"].key", "index.json");
            assertEquals("0", key[0], key[1]);
            assertEquals("python-3." + round + "." + (deploys - 1) + "-debian-12-amd64.tar.zst", key[1].strip());
        }
        assertEquals(List.of(), leftovers());
    }

    /**
     * A free-threaded build of a release is published beside its default build, under its own key, with an entry that
     * names its variant, and the aliases keep them apart: a consumer's jq finds each where docs/consumers.md says.
     */
    @Test
    void aVariantIsPublishedBesideTheDefaultBuildWithAliasesOfItsOwn() throws Exception {
        Path standard = archive("default", "3.13.5", "the default build");
        Path freeThreaded = archive("ft", "3.13.5", "freethreaded",
                "the free-threaded build".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(Outcome.PUBLISHED, publish(freeThreaded));
        assertEquals(Outcome.PUBLISHED, publish(standard));
        Index index = index();
        assertEquals("freethreaded", index.find("python-3.13.5+freethreaded-debian-12-amd64.tar.zst").variant());
        assertEquals("default", index.find("python-3.13.5-debian-12-amd64.tar.zst").variant());
        Path synced = synced("synced");
        String[] sums = consumer(synced, "sha256sum", "--strict", "-c", "SHA256SUMS");
        assertEquals("0", sums[0], sums[1]);
        assertEquals("2", consumer(synced, "jq", "-r", ".schema", "index.json")[1].strip(),
                "an index with a variant is schema 2, which plugins from before variants refuse");
        assertEquals("python-3.13.5-debian-12-amd64.tar.zst",
                consumer(synced, "jq", "-r", ".aliases[\"3.13-debian-12-amd64\"].key", "index.json")[1].strip());
        assertEquals("python-3.13.5+freethreaded-debian-12-amd64.tar.zst",
                consumer(synced, "jq", "-r", ".aliases[\"3.13+freethreaded-debian-12-amd64\"].key", "index.json")[1]
                        .strip());
        assertEquals(List.of(), leftovers());
    }

    /**
     * An archive packed with {@code archive.symbols: separate}: its symbols archive and {@code .sha256} beside it, named
     * in its metadata and its provenance's second subject, as package writes them.
     */
    Path archiveWithSymbols(String dir, String version, String content, String symbols) throws IOException {
        Path archive = archive(dir, version, content);
        String name = dev.pyruntime.manifest.Manifest.Archive.symbolsName(archive.getFileName().toString());
        Path file = Files.writeString(archive.resolveSibling(name), symbols);
        String sha = Sha256.of(file);
        Files.writeString(archive.resolveSibling(name + ".sha256"), sha + "  " + name + "\n");
        Path metaFile = ArchiveMetadata.fileFor(archive);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode node = (com.fasterxml.jackson.databind.node.ObjectNode)
                json.readTree(metaFile.toFile());
        node.set("symbols", json.valueToTree(new ArchiveMetadata.Symbols(name, sha, Files.size(file),
                List.of("0123456789abcdef"))));
        Files.writeString(metaFile, json.writeValueAsString(node) + "\n");
        ArchiveMetadata meta = ArchiveMetadata.read(metaFile);
        Provenance.write(archive, PLAN, meta, null, List.of(metaFile, Sbom.fileFor(archive)));
        return archive;
    }

    /**
     * The symbols archive is published with its runtime, by the same rules: signed, checksummed, in the entry's
     * {@code files} and SHA256SUMS, which stock gpg and sha256sum check; never replaced by other bytes; and restored
     * from the build when it went missing.
     */
    @Test
    void theSymbolsArchiveIsPublishedSignedAndChecksummedBesideItsRuntimeAndNeverReplaced() throws Exception {
        Path a = archiveWithSymbols("build", "3.11.2", "runtime with symbols", "its debug files");
        String name = a.getFileName().toString();
        String symbols = "python-3.11.2-debian-12-amd64.dbgsym.tar.zst";
        // Someone's object at the symbols key: refused before the runtime goes up, so nothing is half-published.
        put(symbols, "squatter".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        UserError squatted = assertThrows(UserError.class, () -> publishSigned(a));
        assertTrue(squatted.getMessage().contains(symbols + " is already published with sha256"), squatted.getMessage());
        assertFalse(object(name).isPresent(), "the runtime went up without its symbols archive");
        delete(symbols);

        assertEquals(Outcome.PUBLISHED, publishSigned(a));
        Index.Entry e = index().find(name);
        assertTrue(e.files().keySet().containsAll(List.of(symbols, symbols + ".asc", symbols + ".sha256",
                symbols + ".sha256.asc")), e.files().toString());
        assertEquals(14, e.files().size(), e.files().toString());
        Path copy = synced("synced");
        String[] sums = consumer(copy, "sha256sum", "--strict", "-c", "SHA256SUMS");
        assertEquals("0", sums[0], sums[1]);
        assertTrue(sums[1].contains(symbols + ": OK"), sums[1]);
        String[] own = consumer(copy, "sha256sum", "--strict", "-c", symbols + ".sha256");
        assertEquals("0", own[0], own[1]);
        try (dev.pyruntime.sign.Gpg gpg = new dev.pyruntime.sign.Gpg(tmp.resolve("consumer-gpg"))) {
            gpg.ok("--import", copy.resolve(Keys.signer().primaryFingerprint() + ".asc").toString());
            for (String f : List.of(symbols, symbols + ".sha256")) {
                dev.pyruntime.sign.Gpg.Result r = gpg.run("--verify", copy.resolve(f + ".asc").toString(),
                        copy.resolve(f).toString());
                assertEquals(0, r.exit(), f + ": " + r.err());
            }
        }
        assertEquals(Outcome.ALREADY_PUBLISHED, publishSigned(archiveWithSymbols("again", "3.11.2",
                "runtime with symbols", "its debug files")));

        // The same runtime with other debug files: the published symbols archive stays, and the deploy fails.
        UserError other = assertThrows(UserError.class, () -> publishSigned(archiveWithSymbols("other", "3.11.2",
                "runtime with symbols", "other debug files")));
        assertTrue(other.getMessage().contains(symbols) && other.getMessage().contains("never overwritten"),
                other.getMessage());
        assertEquals("its debug files", new String(object(symbols).orElseThrow(),
                java.nio.charset.StandardCharsets.UTF_8));

        // Lost (removed by hand): the next deploy of the same build puts it back, signed.
        delete(symbols);
        delete(symbols + ".asc");
        try (Repository repo = open()) {
            assertEquals(Outcome.COMPLETED, publisher(repo).signingWith(Keys.signer()).publish(a).outcome());
        }
        assertEquals("its debug files", new String(object(symbols).orElseThrow(),
                java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(object(symbols + ".asc").isPresent());
        assertEquals(List.of(), leftovers());
    }

    /**
     * A signed deploy, checked as a consumer checks it with stock tools: the public key from the repository's root
     * imported into gpg, every {@code .asc} verified, {@code SHA256SUMS} checked by {@code sha256sum -c} in a synced
     * copy, its cleartext-signed twin and {@code index.json.asc} verified; a tampered archive fails.
     */
    @Test
    void aSignedDeployPublishesEveryFileSignedAndStockGpgAndSha256sumCheckThem() throws Exception {
        Path a = archive("build", "3.11.2", "signed runtime bytes");
        assertEquals(Outcome.PUBLISHED, publishSigned(a));
        String name = a.getFileName().toString();
        String fpr = Keys.signer().primaryFingerprint();
        Index.Entry e = index().find(name);
        assertEquals(fpr, e.signingKey());
        List<String> expected = List.of(name, name + ".asc", name + ".sha256", name + ".sha256.asc",
                "python-3.11.2-debian-12-amd64.cdx.json", "python-3.11.2-debian-12-amd64.cdx.json.asc",
                "python-3.11.2-debian-12-amd64.intoto.json", "python-3.11.2-debian-12-amd64.intoto.json.asc",
                "python-3.11.2-debian-12-amd64.json", "python-3.11.2-debian-12-amd64.json.asc");
        assertEquals(new java.util.TreeSet<>(expected), e.files().keySet());

        Path copy = synced("synced");
        try (dev.pyruntime.sign.Gpg gpg = new dev.pyruntime.sign.Gpg(tmp.resolve("consumer-gpg"))) {
            gpg.ok("--import", copy.resolve(fpr + ".asc").toString());
            List<String> signatures = new ArrayList<>();
            for (String f : e.files().keySet()) {
                if (f.endsWith(".asc")) {
                    signatures.add(f);
                    dev.pyruntime.sign.Gpg.Result r = gpg.run("--verify", copy.resolve(f).toString(),
                            copy.resolve(f.substring(0, f.length() - 4)).toString());
                    assertEquals(0, r.exit(), f + ": " + r.err());
                    assertTrue(r.err().contains("Good signature"), r.err());
                }
            }
            assertEquals(5, signatures.size());
            String entry = Publisher.ENTRIES + name + ".json";
            assertEquals(0, gpg.run("--verify", copy.resolve(entry + ".asc").toString(), copy.resolve(entry).toString())
                    .exit());
            assertEquals(0, gpg.run("--verify", copy.resolve("SHA256SUMS.asc").toString()).exit());
            assertEquals(Files.readString(copy.resolve("SHA256SUMS")),
                    gpg.ok("--decrypt", copy.resolve("SHA256SUMS.asc").toString()));
            assertEquals(0, gpg.run("--verify", copy.resolve("index.json.asc").toString()).exit());
            assertEquals(List.of(name), Index.parse(gpg.ok("--decrypt", copy.resolve("index.json.asc").toString())
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8), "index.json.asc").keys());

            String[] sums = consumer(copy, "sha256sum", "--strict", "-c", "SHA256SUMS");
            assertEquals("0", sums[0], sums[1]);
            assertEquals(10, sums[1].lines().filter(l -> l.endsWith(": OK")).count(), sums[1]);

            // One byte changed after publishing: the signature no longer holds, nor does the checksum.
            byte[] bytes = Files.readAllBytes(copy.resolve(name));
            bytes[0] ^= 1;
            Files.write(copy.resolve(name), bytes);
            dev.pyruntime.sign.Gpg.Result bad = gpg.run("--verify", copy.resolve(name + ".asc").toString(),
                    copy.resolve(name).toString());
            assertTrue(bad.exit() != 0 && bad.err().contains("BAD signature"), bad.err());
            assertEquals("1", consumer(copy, "sha256sum", "-c", "SHA256SUMS")[0]);
        }
        assertEquals(Outcome.ALREADY_PUBLISHED, publishSigned(archive("again", "3.11.2", "signed runtime bytes")));
    }

    /**
     * Rounds of eight signed deploys at once into one repository ({@code -Dpublish.signedRounds}: 1 in the test run,
     * more in bench/publish-concurrency). After each round, a synced copy passes {@code sha256sum --strict -c} with
     * every file published so far, and gpg gives back SHA256SUMS.asc as SHA256SUMS and index.json.asc with every
     * runtime. A summary line is printed.
     */
    @Test
    void concurrentSignedDeploysLeaveWholeChecksumsThatCheck() throws Exception {
        int rounds = Integer.getInteger("publish.signedRounds", 1);
        Keys.signer();
        int published = 0;
        List<String> incomplete = new ArrayList<>();
        long start = System.nanoTime();
        try (dev.pyruntime.sign.Gpg gpg = new dev.pyruntime.sign.Gpg(tmp.resolve("consumer-gpg"))) {
            for (int round = 0; round < rounds; round++) {
                List<Path> archives = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    archives.add(archive("s" + round + "d" + i, "3.12." + (round * 8 + i), "runtime " + round + "/" + i));
                }
                List<Outcome> outcomes = race(archives.stream()
                        .map(a -> (Callable<Outcome>) () -> publishSigned(a)).toList());
                assertEquals(List.of(), outcomes.stream().filter(o -> o != Outcome.PUBLISHED).toList());
                published += 8;
                Path copy = synced("synced-" + round);
                if (round == 0) {
                    gpg.ok("--import", copy.resolve(Keys.signer().primaryFingerprint() + ".asc").toString());
                }
                String[] sums = consumer(copy, "sha256sum", "--strict", "-c", "SHA256SUMS");
                long ok = sums[1].lines().filter(l -> l.endsWith(": OK")).count();
                String signedSums = gpg.ok("--decrypt", copy.resolve("SHA256SUMS.asc").toString());
                int signedIndex = Index.parse(gpg.ok("--decrypt", copy.resolve("index.json.asc").toString())
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8), "index.json.asc").keys().size();
                if (!sums[0].equals("0") || ok != published * 10L || !signedSums.equals(Files.readString(
                        copy.resolve("SHA256SUMS"))) || signedIndex != published) {
                    incomplete.add("round " + round + ": sha256sum exit " + sums[0] + ", " + ok + " OK of "
                            + published * 10 + ", index.json.asc " + signedIndex + " of " + published);
                }
            }
        }
        System.out.printf("signed race (%s): %d rounds x 8 concurrent signed deploys: %d published, %d rounds "
                + "incomplete, in %.1f s%n", getClass().getSimpleName(), rounds, published, incomplete.size(),
                (System.nanoTime() - start) / 1e9);
        assertEquals(List.of(), incomplete);
        assertEquals(List.of(), leftovers());
    }

    /**
     * Completing with a key: an archive at the key without a signature by it is signed only when it is this build's
     * own, byte for byte; foreign bytes are refused and nothing is written beside them. A bad signature is refused too.
     */
    @Test
    void aSignedCompletionSignsOnlyItsOwnBuildAndRefusesForeignOrBadlySignedBytes() throws Exception {
        Path a = archive("build", "3.11.2", "half published");
        String name = a.getFileName().toString();
        // A deploy that died right after the archive went up, before its signature.
        put(name, Files.readAllBytes(a));
        Publisher.Release release = release("3.11.2");
        UserError foreign = assertThrows(UserError.class, () -> {
            try (Repository repo = open()) {
                publisher(repo).signingWith(Keys.signer()).complete(release, null);
            }
        });
        assertTrue(foreign.getMessage().contains("has no signature by the repository's key "
                + Keys.signer().primaryFingerprint() + ", and this deploy did not build it"), foreign.getMessage());
        assertTrue(object(name + ".sha256").isEmpty() && object(name + ".asc").isEmpty());

        try (Repository repo = open()) {
            assertEquals(Outcome.COMPLETED, publisher(repo).signingWith(Keys.signer()).complete(release, a).outcome());
        }
        assertTrue(object(name + ".asc").isPresent() && index().find(name).files().containsKey(name + ".asc"));

        // Someone replaces the signature with one over other bytes, then a file beside it goes missing.
        byte[] otherSignature = Keys.signer().sign("other bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        delete(name + ".asc");
        put(name + ".asc", otherSignature);
        delete(name + ".sha256");
        UserError bad = assertThrows(UserError.class, () -> {
            try (Repository repo = open()) {
                publisher(repo).signingWith(Keys.signer()).complete(release, a);
            }
        });
        assertTrue(bad.getMessage().contains(name + ".asc does not match " + name + ": BAD signature"),
                bad.getMessage());
        assertTrue(object(name + ".sha256").isEmpty());
    }

    /**
     * Four signed deploys of the same archive at once: one signature of each file lands, and the entry lists the
     * checksums of the signatures that landed, whichever deploy wrote it, so sha256sum -c passes.
     */
    @Test
    void concurrentSignedDeploysOfTheSameArchiveListTheSignaturesThatLanded() throws Exception {
        Keys.signer();
        List<Path> copies = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            copies.add(archive("same" + i, "3.11.2", "one runtime"));
        }
        race(copies.stream().map(a -> (Callable<Outcome>) () -> publishSigned(a)).toList());
        String[] sums = consumer(synced("synced"), "sha256sum", "--strict", "-c", "SHA256SUMS");
        assertEquals("0", sums[0], sums[1]);
        assertEquals(10, sums[1].lines().filter(l -> l.endsWith(": OK")).count(), sums[1]);
    }

    /**
     * An archive and entry object that someone else put in the repository are folded into index.json, as before, but
     * the signed index and checksums list only what the repository's key signed.
     */
    @Test
    void theSignedIndexAndChecksumsListOnlyWhatTheKeySigned() throws Exception {
        Path ours = archive("ours", "3.11.2", "our runtime");
        publishSigned(ours);
        String foreign = "python-3.9.9-debian-12-amd64.tar.zst";
        put(foreign, "someone else's bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        put(Publisher.ENTRIES + foreign + ".json", ("{\"key\": \"" + foreign + "\", \"sha256\": \"" + "a".repeat(64)
                + "\", \"size\": 20, \"files\": {\"" + foreign + "\": \"" + "a".repeat(64) + "\"}}\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Path second = archive("second", "3.12.0", "our second runtime");
        publishSigned(second);

        assertTrue(index().contains(foreign), "index.json is the union of the entry objects, as before");
        Path copy = synced("synced");
        try (dev.pyruntime.sign.Gpg gpg = new dev.pyruntime.sign.Gpg(tmp.resolve("consumer-gpg"))) {
            gpg.ok("--import", copy.resolve(Keys.signer().primaryFingerprint() + ".asc").toString());
            Path signedIndex = tmp.resolve("index.verified");
            gpg.ok("--output", signedIndex.toString(), "--decrypt", copy.resolve("index.json.asc").toString());
            assertEquals(List.of(ours.getFileName().toString(), second.getFileName().toString()),
                    Index.parse(Files.readAllBytes(signedIndex), "index.json.asc").keys());
            Path signedSums = tmp.resolve("sums.verified");
            gpg.ok("--output", signedSums.toString(), "--decrypt", copy.resolve("SHA256SUMS.asc").toString());
            assertFalse(Files.readString(signedSums).contains(foreign), Files.readString(signedSums));
            assertEquals(20, Files.readString(signedSums).lines().count());
        }
    }

    @Test
    void anUnsignedDeployIntoARepositoryOfSignedRuntimesIsRefusedBeforeAnything() throws Exception {
        publishSigned(archive("build", "3.11.2", "signed runtime"));
        UserError e = assertThrows(UserError.class, () -> {
            try (Repository repo = open()) {
                publisher(repo).checkIndex();
            }
        });
        assertTrue(e.getMessage().contains("lists runtimes signed by " + Keys.signer().primaryFingerprint()),
                e.getMessage());
        assertTrue(e.getMessage().contains("MAVEN_GPG_KEY"), e.getMessage());
    }

    @Test
    void aRerunWithOtherMetadataForTheSameBytesIsAlreadyPublishedAndKeepsThePublishedMetadata() throws Exception {
        Path a = archive("first", "3.11.2", "archive bytes");
        assertEquals(Outcome.PUBLISHED, publish(a));
        byte[] metadata = object("python-3.11.2-debian-12-amd64.json").orElseThrow();
        // The same archive bytes, packed by another plugin version: only the metadata differs.
        Path again = archive("again", "3.11.2", "archive bytes");
        Path againMetadata = ArchiveMetadata.fileFor(again);
        Files.writeString(againMetadata, Files.readString(againMetadata).replace("\"test\"", "\"2.0\""));
        assertFalse(java.util.Arrays.equals(metadata, Files.readAllBytes(againMetadata)));

        assertEquals(Outcome.ALREADY_PUBLISHED, publish(again));
        assertArrayEquals(metadata, object("python-3.11.2-debian-12-amd64.json").orElseThrow());
    }

    @Test
    void theMatrixLeavesOutWhatTheIndexListsAndKeepsAHalfPublishedArchivesJob() throws Exception {
        Path manifest = Files.writeString(tmp.resolve("python.yaml"), String.join("\n",
                "schema: 1",
                "source: { url: \"https://example.invalid/{version}/{file}\" }",
                "distros: { debian-12: {} }",
                "arches: [amd64]",
                "versions:",
                "  - { version: 3.11.2, file: Python-3.11.2.tgz, sha256: " + "a".repeat(64) + " }",
                "  - { version: 3.12.8, file: Python-3.12.8.tgz, sha256: " + "b".repeat(64) + " }",
                "  - { version: 3.13.5, file: Python-3.13.5.tgz, sha256: " + "c".repeat(64) + " }",
                ""));
        // 3.11.2 published whole; 3.13.5's deploy died right after its archive went up; 3.12.8 not published.
        assertEquals(Outcome.PUBLISHED, publish(archive("build", "3.11.2", "archive bytes")));
        put("python-3.13.5-debian-12-amd64.tar.zst", "half".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        Console console = new Console() {
            @Override
            public void info(String line) {
                log.add(line);
            }

            @Override
            public void warn(String line) {
                log.add("WARN " + line);
            }
        };
        dev.pyruntime.env.HostInfo host = new dev.pyruntime.env.HostInfo("debian-12", "amd64");
        java.util.function.Function<Boolean, List<String>> matrix = rebuild -> {
            try (Repository repo = open()) {
                String json = dev.pyruntime.plan.Matrix.run(new dev.pyruntime.plan.Matrix.Request(manifest, null, null,
                        tmp.resolve("matrix.json"), null), new dev.pyruntime.plan.Matrix.Published(new Publisher(console,
                        repo, "", true, CLOCK), rebuild, "rebuildPublished"), console, host);
                List<String> targets = new ArrayList<>();
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get("include")
                        .forEach(e -> targets.add(e.get("target").asText()));
                return targets;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };

        assertEquals(List.of("3.12.8-debian-12-amd64", "3.13.5-debian-12-amd64"), matrix.apply(false));
        String url;
        try (Repository repo = open()) {
            url = repo.url("python-3.11.2-debian-12-amd64.tar.zst");
        }
        assertTrue(log.contains("3.11.2-debian-12-amd64: already published at " + url + " (sha256 "
                + index().find("python-3.11.2-debian-12-amd64.tar.zst").sha256()
                + "): no job (rebuildPublished=true gives it one)"), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.startsWith("3.13.5-debian-12-amd64: ")
                && l.endsWith(" is published but not yet in the index: a job, whose deploy completes it")), log.toString());
        assertTrue(log.stream().noneMatch(l -> l.startsWith("3.12.8")), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.startsWith("Matrix: 1 of 3 selected targets already published in ")),
                log.toString());

        log.clear();
        assertEquals(List.of("3.11.2-debian-12-amd64", "3.12.8-debian-12-amd64", "3.13.5-debian-12-amd64"),
                matrix.apply(true));
        assertTrue(log.stream().anyMatch(l -> l.startsWith("3.11.2-debian-12-amd64: already published at ")
                && l.endsWith(": a job anyway, to build it again and compare (rebuildPublished=true)")), log.toString());

        // Someone removed the indexed archive by hand: the index still lists it, and the target gets its job back.
        log.clear();
        delete("python-3.11.2-debian-12-amd64.tar.zst");
        assertEquals(List.of("3.11.2-debian-12-amd64", "3.12.8-debian-12-amd64", "3.13.5-debian-12-amd64"),
                matrix.apply(false));
        assertTrue(log.stream().anyMatch(l -> l.startsWith("3.11.2-debian-12-amd64: ")
                && l.contains(" is listed in the index (sha256 ") && l.endsWith(") but not published: a job, whose "
                + "deploy finds out")), log.toString());
    }

    @Test
    void aHalfPublishedArchiveIsCompletedFromItsOwnBytesAndItsMetadataOnlyFromAnIdenticalBuild() throws Exception {
        Path a = archive("build", "3.11.2", "archive bytes");
        assertEquals(Outcome.PUBLISHED, publish(a));
        String name = a.getFileName().toString();
        byte[] sidecar = object(name + ".sha256").orElseThrow();
        byte[] metadata = object("python-3.11.2-debian-12-amd64.json").orElseThrow();
        // A deploy that died right after the archive went up.
        delete(name + ".sha256");
        delete("python-3.11.2-debian-12-amd64.json");
        delete(Publisher.ENTRIES + name + ".json");
        delete(Publisher.INDEX);

        // Without a build: the checksum and the entries come from the published bytes; the metadata cannot.
        Publisher.Published p = complete(release("3.11.2"), null);
        assertEquals(Outcome.COMPLETED, p.outcome());
        assertArrayEquals(sidecar, object(name + ".sha256").orElseThrow());
        assertEquals(Sha256.of(a), index().find(name).sha256());
        assertEquals(Files.size(a), index().find(name).size());
        assertEquals(null, index().find(name).planFingerprint(), "not known without the metadata");
        assertTrue(object("python-3.11.2-debian-12-amd64.json").isEmpty());
        assertEquals(1, p.missing().size());
        assertTrue(p.missing().get(0).contains("rebuildPublished"), p.missing().toString());

        // A build whose archive has other bytes cannot describe the published one.
        Path other = archive("other", "3.11.2", "other bytes");
        Publisher.Published q = complete(release("3.11.2"), other);
        assertTrue(q.missing().get(0).contains("other bytes"), q.missing().toString());
        assertTrue(object("python-3.11.2-debian-12-amd64.json").isEmpty());

        // A byte-identical build's metadata completes it.
        Path same = archive("same", "3.11.2", "archive bytes");
        assertEquals(Outcome.COMPLETED, complete(release("3.11.2"), same).outcome());
        assertArrayEquals(metadata, object("python-3.11.2-debian-12-amd64.json").orElseThrow());
        assertEquals(Outcome.ALREADY_PUBLISHED, complete(release("3.11.2"), null).outcome());
        assertEquals(List.of(), leftovers());
    }

    /**
     * Whoever can write one object to the store puts other bytes at a target's archive key. A deploy that finds it
     * there did not upload it: it downloads it and runs the real verify on it, which fails, so nothing is written
     * beside it, even with this project's own, different archive in its output directory.
     */
    @Test
    void aForeignObjectAtAnArchiveKeyIsVerifiedAndNeitherChecksummedNorListed() throws Exception {
        Path ours = archive("build", "3.11.2", "our runtime");
        String name = ours.getFileName().toString();
        byte[] foreign = "#!/bin/sh\necho planted\n".getBytes();
        put(name, foreign);
        for (Path local : java.util.Arrays.asList(null, ours)) {
            UserError e;
            try (Repository repo = open()) {
                e = assertThrows(UserError.class, () -> publisher(repo, realVerify).complete(release("3.11.2"), local));
            }
            assertTrue(e.getMessage().contains(name + " holds an archive with sha256 " + Sha256.of(foreign)
                    + " that this deploy did not upload and that does not pass verify, so nothing was written beside "
                    + "it"), e.getMessage());
            assertTrue(e.getMessage().contains("unpack: cannot read " + name + " as a zstd-compressed tar"), e.getMessage());
            assertTrue(object(name + ".sha256").isEmpty());
            assertTrue(object(Publisher.ENTRIES + name + ".json").isEmpty());
            assertTrue(object(Publisher.INDEX).isEmpty());
            assertTrue(object("python-3.11.2-debian-12-amd64.json").isEmpty());
            assertArrayEquals(foreign, object(name).orElseThrow(), "a published object is never replaced");
        }
        // Without a way to verify it, deploy refuses too, naming what it found.
        try (Repository repo = open()) {
            UserError e = assertThrows(UserError.class, () -> new Publisher(QUIET, repo, "", false, CLOCK)
                    .complete(release("3.11.2"), null));
            assertTrue(e.getMessage().contains("(sha256 " + Sha256.of(foreign) + ") was not uploaded by this deploy, "
                    + "and this deploy cannot verify it, so nothing was written beside it"), e.getMessage());
        }
        assertTrue(object(name + ".sha256").isEmpty());
        assertEquals(List.of(), leftovers());
    }

    @Test
    void aPublishedChecksumThatContradictsTheArchiveIsReportedAndNotReplaced() throws Exception {
        Path a = archive("build", "3.11.2", "archive bytes");
        publish(a);
        String name = a.getFileName().toString();
        put(name + ".sha256", ("0".repeat(64) + "  " + name + "\n").getBytes());
        UserError e = assertThrows(UserError.class, () -> complete(release("3.11.2"), null));
        assertTrue(e.getMessage().contains("sha256sum -c"), e.getMessage());
        assertEquals("0".repeat(64) + "  " + name + "\n", new String(object(name + ".sha256").orElseThrow()));
    }

    @Test
    void anEntryOrMetadataThatContradictsTheArchiveIsReportedAndNotReplaced() throws Exception {
        Path a = archive("build", "3.11.2", "archive bytes");
        publish(a);
        String name = a.getFileName().toString();
        byte[] entry = object(Publisher.ENTRIES + name + ".json").orElseThrow();
        byte[] other = new String(entry).replace(Sha256.of(a), "b".repeat(64)).getBytes();
        put(Publisher.ENTRIES + name + ".json", other);
        UserError e = assertThrows(UserError.class, () -> complete(release("3.11.2"), null));
        assertTrue(e.getMessage().contains("names sha256 " + "b".repeat(64) + ", but the published archive has sha256 "
                + Sha256.of(a)), e.getMessage());
        assertArrayEquals(other, object(Publisher.ENTRIES + name + ".json").orElseThrow());

        put(Publisher.ENTRIES + name + ".json", entry);
        byte[] metadata = object("python-3.11.2-debian-12-amd64.json").orElseThrow();
        put("python-3.11.2-debian-12-amd64.json", new String(metadata).replace(Sha256.of(a), "c".repeat(64)).getBytes());
        e = assertThrows(UserError.class, () -> complete(release("3.11.2"), null));
        assertTrue(e.getMessage().contains("describes an archive with sha256 " + "c".repeat(64)), e.getMessage());
    }

    @Test
    void anEntryObjectWithAnotherKeyIsRefusedNamingIt() throws Exception {
        Path a = archive("a", "3.11.2", "a");
        publish(a);
        Path b = archive("b", "3.13.5", "b");
        try (Repository repo = open()) {
            repo.putIfAbsent(b.getFileName().toString(), b, Sha256.of(b));
        }
        // A copy of a's entry object, saved as b's.
        put(Publisher.ENTRIES + b.getFileName() + ".json", object(Publisher.ENTRIES + a.getFileName() + ".json").orElseThrow());
        UserError e = assertThrows(UserError.class, () -> complete(release("3.13.5"), null));
        assertTrue(e.getMessage().contains("names sha256 " + Sha256.of(a)), e.getMessage());
    }

    /** A re-run that finds its own target complete still brings back an entry another deploy's write lost. */
    @Test
    void aRerunOfACompleteTargetRestoresAnEntryAStaleWriteLost() throws Exception {
        Path a = archive("a", "3.11.2", "a");
        Path b = archive("b", "3.13.5", "b");
        publish(a);
        publish(b);
        Index both = index();
        // What a stale write of another deploy leaves: the index as it was before b.
        put(Publisher.INDEX, ("{\"schema\": 1, \"runtimes\": [" + new com.fasterxml.jackson.databind.ObjectMapper()
                .writeValueAsString(new com.fasterxml.jackson.databind.ObjectMapper().readTree(object(Publisher.INDEX)
                        .orElseThrow()).get("runtimes").get(0)) + "]}").getBytes());
        assertEquals(1, index().runtimes().size());

        assertEquals(Outcome.ALREADY_PUBLISHED, complete(release("3.11.2"), null).outcome());
        assertEquals(both.runtimes(), index().runtimes());
    }

    @Test
    void aDeletedIndexIsRebuiltFromTheEntryObjects() throws Exception {
        Path a = archive("a", "3.11.2", "a");
        Path b = archive("b", "3.13.5", "b");
        publish(a);
        publish(b);
        Index before = index();
        delete(Publisher.INDEX);
        assertEquals(Outcome.COMPLETED, complete(release("3.11.2"), null).outcome());
        assertEquals(before.runtimes(), index().runtimes());
    }

    @Test
    void anOlderIndexKeepsEveryEntryAndFieldAndItsEntriesGetEntryObjects() throws Exception {
        // An index written by hand or by an older version: no entry objects, fields this version does not know.
        Path old = archive("old", "3.10.20", "an old runtime");
        try (Repository repo = open()) {
            repo.putIfAbsent(old.getFileName().toString(), old, Sha256.of(old));
        }
        String oldKey = old.getFileName().toString();
        put(Publisher.INDEX, ("{\"schema\": 1, \"mirror\": \"eu\", \"runtimes\": [{\"key\": \"" + oldKey + "\", \"sha256\": \""
                + Sha256.of(old) + "\", \"size\": " + Files.size(old) + ", \"channel\": \"lts\"}]}").getBytes());

        publish(archive("new", "3.11.2", "a new runtime"));

        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(object(Publisher.INDEX).orElseThrow());
        assertEquals("eu", json.get("mirror").asText());
        assertEquals(2, json.get("runtimes").size());
        assertEquals("lts", json.get("runtimes").get(0).get("channel").asText(), json.toString());
        assertTrue(object(Publisher.ENTRIES + oldKey + ".json").isPresent(), "the old entry got its entry object");
        // So the index can be rebuilt with it.
        delete(Publisher.INDEX);
        complete(release("3.11.2"), null);
        assertEquals("lts", new com.fasterxml.jackson.databind.ObjectMapper().readTree(object(Publisher.INDEX)
                .orElseThrow()).get("runtimes").get(0).get("channel").asText());
    }

    @Test
    void anIndexThisVersionCannotReadIsRefusedBeforeAnythingIsPublished() throws Exception {
        put(Publisher.INDEX, "{\"schema\": 1, \"runtime\": []}".getBytes());
        Path a = archive("build", "3.11.2", "bytes");
        try (Repository repo = open()) {
            UserError e = assertThrows(UserError.class, () -> publisher(repo).checkIndex());
            assertTrue(e.getMessage().contains("has no \"runtimes\" (it has \"runtime\": misspelt?)"), e.getMessage());
        }
        assertEquals("{\"schema\": 1, \"runtime\": []}", new String(object(Publisher.INDEX).orElseThrow()));
        assertTrue(object(a.getFileName().toString()).isEmpty());
    }

    @Test
    void anIndexWithAByteOrderMarkIsRefusedAndNotRewritten() throws Exception {
        byte[] index = ("\ufeff{\"schema\": 1, \"runtimes\": []}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        put(Publisher.INDEX, index);
        Path a = archive("build", "3.11.2", "bytes");
        try (Repository repo = open()) {
            UserError e = assertThrows(UserError.class, () -> publisher(repo).checkIndex());
            assertTrue(e.getMessage().contains("starts with a byte order mark, EF BB BF (UTF-8)"), e.getMessage());
        }
        assertTrue(java.util.Arrays.equals(index, object(Publisher.INDEX).orElseThrow()), "the index is as it was");
        assertTrue(object(a.getFileName().toString()).isEmpty());
    }

    @Test
    void anIndexLargerThanAnyWeWriteIsRefusedUnreadBeforeAnythingIsPublished() throws Exception {
        // 64 MiB and one byte of a JSON-looking object: read whole, it would take the heap.
        byte[] huge = new byte[(int) Repository.MAX_OBJECT_BYTES + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        huge[0] = '{';
        put(Publisher.INDEX, huge);
        Path a = archive("build", "3.11.2", "bytes");
        try (Repository repo = open()) {
            UserError e = assertThrows(UserError.class, () -> publisher(repo).checkIndex());
            assertTrue(e.getMessage().endsWith(Publisher.INDEX + " holds more than 64 MiB: python-runtime reads it "
                    + "whole (it is an index, an index entry, a .sha256 or metadata), and none that it writes is that "
                    + "large, so this object was put there by something else. Remove or replace it, or publish under "
                    + "another prefix"), e.getMessage());
        }
        assertTrue(object(a.getFileName().toString()).isEmpty());
    }

    @Test
    void fourConcurrentDeploysOfTheSameKeyUploadOnce() throws Exception {
        List<Path> copies = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            copies.add(archive("c" + i, "3.13.5", "the same runtime"));
        }
        List<Outcome> outcomes = race(copies.stream().map(a -> (Callable<Outcome>) () -> publish(a)).toList());
        assertEquals(1, outcomes.stream().filter(o -> o == Outcome.PUBLISHED).count(), outcomes.toString());
        // The others find it published; those that come before the winner's entries complete them, identically.
        assertEquals(3, outcomes.stream().filter(o -> o == Outcome.ALREADY_PUBLISHED || o == Outcome.COMPLETED).count(),
                outcomes.toString());
        assertEquals(1, index().runtimes().size());
        assertEquals(List.of(), leftovers());
    }

    @Test
    void aDryRunWritesNothing() throws Exception {
        Path a = archive("build", "3.11.2", "bytes");
        try (Repository repo = open()) {
            assertEquals(Outcome.WOULD_PUBLISH, new Publisher(QUIET, repo, "", true, CLOCK).publish(a).outcome());
        }
        assertTrue(object(a.getFileName().toString()).isEmpty());
        assertTrue(object(Publisher.INDEX).isEmpty());
        // Nor does a dry run of completing a half-published one.
        publish(a);
        delete(a.getFileName() + ".sha256");
        try (Repository repo = open()) {
            Publisher.Published p = new Publisher(QUIET, repo, "", true, CLOCK).verifyingWith(testVerify,
                    tmp.resolve("deploy-verify")).complete(release("3.11.2"), null);
            assertEquals(Outcome.WOULD_PUBLISH, p.outcome());
            assertEquals(List.of(a.getFileName() + ".sha256"), p.missing());
        }
        assertTrue(object(a.getFileName() + ".sha256").isEmpty());
    }

    @Test
    void anArchiveChangedAfterVerifyIsNotPublished() throws Exception {
        Path a = archive("build", "3.11.2", "bytes");
        Files.writeString(a, "changed");
        UserError e = assertThrows(UserError.class, () -> publish(a));
        assertTrue(e.getMessage().contains("changed after verify"), e.getMessage());
        assertTrue(object(a.getFileName().toString()).isEmpty());
    }

    @Test
    void aStaleIndexVersionIsNotWritten() throws Exception {
        try (Repository repo = open()) {
            assertTrue(repo.replaceIf("index.json", "{\"schema\":1,\"runtimes\":[]}\n".getBytes(), null));
            assertFalse(repo.replaceIf("index.json", "second creation".getBytes(), null), "it exists now");
            Repository.Versioned v = repo.get("index.json").orElseThrow();
            assertTrue(repo.replaceIf("index.json", "newer".getBytes(), v.tag()));
            assertFalse(repo.replaceIf("index.json", "from a stale read".getBytes(), v.tag()));
            assertEquals("newer", new String(object("index.json").orElseThrow()));
        }
    }

    /** Starts every task at the same moment on its own thread and returns their results in order. */
    static <T> List<T> race(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> t : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return t.call();
                }));
            }
            start.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
