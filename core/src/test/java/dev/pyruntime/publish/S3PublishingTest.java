package dev.pyruntime.publish;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyruntime.Sha256;
import dev.pyruntime.UserError;
import dev.pyruntime.publish.Publisher.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The publishing rules against a real S3 server (s3proxy on 127.0.0.1, authentication on), plus what only S3 has:
 * multipart uploads, their abort, checksums the server checks, credentials, and a server that dies mid-upload.
 */
class S3PublishingTest extends PublishingRules {
    static final String BUCKET = "runtimes";
    static final AtomicInteger TESTS = new AtomicInteger();

    @TempDir
    static Path serverDir;
    static S3Proxy server;
    static S3Client client;

    /** This test's part of the bucket. */
    String prefix;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3Proxy.start(serverDir, BUCKET);
        client = server.client();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /**
     * The store wrote the archive but its answer was lost: the SDK's retry gets 412, finds this upload's own token on
     * the object, and the deploy says it published the archive (not that somebody else had).
     */
    @Test
    void anUploadWhoseAnswerWasLostIsStillThisDeploysOwn() throws Exception {
        Path a = archive("lost", "3.11.2", "archive bytes whose upload answer is lost");
        try (LosingRelay relay = new LosingRelay(server.port());
             S3Repository repo = new S3Repository(new S3Repository.BucketPrefix(BUCKET, prefix + "/"),
                     new S3Repository.Options(relay.endpoint(), "us-east-1", true,
                             new S3Repository.Credentials(S3Proxy.ACCESS_KEY, S3Proxy.SECRET_KEY),
                             S3Repository.Options.DEFAULT_MULTIPART_THRESHOLD, S3Repository.Options.DEFAULT_PART_SIZE, 3))) {
            assertEquals(Outcome.PUBLISHED, publisher(repo).publish(a).outcome());
            assertTrue(relay.lost(), "the relay lost the store's answer to the archive's upload");
        }
        assertArrayEquals(Files.readAllBytes(a), object(a.getFileName().toString()).orElseThrow());
        // Another deploy of the same bytes still finds it already published.
        assertEquals(Outcome.ALREADY_PUBLISHED, publish(a));
    }

    /**
     * Small conditional PUTs with one attempt each, as the index's are, through the repository's own client
     * configuration: none may fail. s3proxy answers an aws-chunked body before its closing zero-length chunk, and then
     * drops the connection on the rest (see {@link S3Clients}); with the SDK's default aws-chunked bodies about one PUT
     * in ten failed. The PUTs are {@code -Ds3.smallPuts} (100); {@code -Ds3.awsChunked=true} sends aws-chunked bodies
     * again and only counts the failures: bench/s3-small-puts runs both.
     */
    @Test
    void smallConditionalPutsSucceedAtTheFirstAttempt() throws Exception {
        int puts = Integer.getInteger("s3.smallPuts", 100);
        boolean awsChunked = Boolean.getBoolean("s3.awsChunked");
        List<String> failures = new ArrayList<>();
        long start = System.nanoTime();
        try (S3Client c = S3Clients.builder(server.options(1 << 26, 1 << 24, 1), dev.pyruntime.Vocabulary.PLAIN, List.of())
                .serviceConfiguration(b -> b.chunkedEncodingEnabled(awsChunked)).build()) {
            for (int i = 0; i < puts; i++) {
                byte[] body = ("{\"schema\": 1, \"runtimes\": [" + i + "]}\n").getBytes();
                String key = prefix + "/" + i + "/" + Publisher.INDEX;
                try {
                    c.putObject(b -> b.bucket(BUCKET).key(key).ifNoneMatch("*").checksumSHA256(java.util.Base64
                            .getEncoder().encodeToString(java.util.HexFormat.of().parseHex(Sha256.of(body)))),
                            RequestBody.fromBytes(body));
                } catch (software.amazon.awssdk.core.exception.SdkException e) {
                    failures.add(e.getMessage());
                }
            }
        }
        System.out.printf("small conditional PUTs (%s bodies): %d of %d failed at their one attempt, in %.1f s%n",
                awsChunked ? "aws-chunked" : "plain", failures.size(), puts, (System.nanoTime() - start) / 1e9);
        if (!awsChunked) {
            assertEquals(List.of(), failures);
        }
    }

    /** A repository whose client loses the answer of the first attempt of each PUT to a key ending with {@code suffix}. */
    S3Repository openLosing(LosingInterceptor losing) throws UserError {
        return new S3Repository(new S3Repository.BucketPrefix(BUCKET, prefix + "/"), server.options(
                S3Repository.Options.DEFAULT_MULTIPART_THRESHOLD, S3Repository.Options.DEFAULT_PART_SIZE, 3),
                dev.pyruntime.Vocabulary.PLAIN, List.of(losing));
    }

    /**
     * The index's create and its If-Match replace both landed, but their answers were lost: the SDK's retry gets 412,
     * finds this write's own token and checksum on the object, and the write reports success (not "someone else
     * changed it"). A stale tag and a second create are still refused.
     */
    @Test
    void aConditionalIndexWriteWhoseAnswerWasLostIsStillThisWritesOwn() throws Exception {
        LosingInterceptor losing = new LosingInterceptor("/" + Publisher.INDEX);
        try (S3Repository repo = openLosing(losing)) {
            assertTrue(repo.replaceIf(Publisher.INDEX, "first".getBytes(), null), "the create landed");
            Repository.Versioned first = repo.get(Publisher.INDEX).orElseThrow();
            assertTrue(repo.replaceIf(Publisher.INDEX, "second".getBytes(), first.tag()), "the replace landed");
            assertEquals(2, losing.lost(), "both answers were lost");
            assertFalse(repo.replaceIf(Publisher.INDEX, "from a stale read".getBytes(), first.tag()));
            assertFalse(repo.replaceIf(Publisher.INDEX, "another create".getBytes(), null));
        }
        assertEquals("second", new String(object(Publisher.INDEX).orElseThrow()));
    }

    /** A write whose answer was lost and that another deploy then replaced is not claimed as this write's own. */
    @Test
    void aLostAnswerDoesNotClaimAnotherDeploysLaterWrite() throws Exception {
        put(Publisher.INDEX, "old".getBytes());
        LosingInterceptor losing = new LosingInterceptor("/" + Publisher.INDEX,
                () -> put(Publisher.INDEX, "theirs".getBytes()));
        try (S3Repository repo = openLosing(losing)) {
            Repository.Versioned old = repo.get(Publisher.INDEX).orElseThrow();
            assertFalse(repo.replaceIf(Publisher.INDEX, "mine".getBytes(), old.tag()));
            assertEquals(1, losing.lost());
        }
        assertEquals("theirs", new String(object(Publisher.INDEX).orElseThrow()));
    }

    /** Every PUT of a deploy lands but loses its first answer: the deploy still reports it published, once. */
    @Test
    void aDeployWhoseEveryFirstAnswerWasLostPublishes() throws Exception {
        Path a = archive("lost", "3.11.2", "archive bytes whose answers are lost");
        LosingInterceptor losing = new LosingInterceptor("");
        try (S3Repository repo = openLosing(losing)) {
            assertEquals(Outcome.PUBLISHED, publisher(repo).publish(a).outcome());
        }
        assertTrue(losing.lost() >= 5, "archive, .sha256, metadata, entry and index: " + losing.lost());
        assertArrayEquals(Files.readAllBytes(a), object(a.getFileName().toString()).orElseThrow());
        assertEquals(Sha256.of(a), index().find(a.getFileName().toString()).sha256());
        assertEquals(Outcome.ALREADY_PUBLISHED, publish(a));
    }

    @BeforeEach
    void ownPrefix() {
        prefix = "t" + TESTS.incrementAndGet() + "/runtimes";
    }

    S3Repository open(S3Proxy on, S3Repository.Options options) throws UserError {
        return new S3Repository(new S3Repository.BucketPrefix(BUCKET, prefix + "/"), options);
    }

    @Override
    S3Repository open() throws UserError {
        return open(server, server.options(S3Repository.Options.DEFAULT_MULTIPART_THRESHOLD,
                S3Repository.Options.DEFAULT_PART_SIZE, 3));
    }

    /** A repository that uploads anything above 5 MiB in 5 MiB parts. */
    S3Repository openSmallParts(S3Proxy on, int maxAttempts) throws UserError {
        return open(on, on.options(S3Repository.MIN_PART_SIZE, S3Repository.MIN_PART_SIZE, maxAttempts));
    }

    @Override
    Optional<byte[]> object(String key) {
        return object(client, key);
    }

    Optional<byte[]> object(S3Client c, String key) {
        try {
            return Optional.of(c.getObjectAsBytes(b -> b.bucket(BUCKET).key(prefix + "/" + key)).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    @Override
    void delete(String key) {
        client.deleteObject(b -> b.bucket(BUCKET).key(prefix + "/" + key));
    }

    @Override
    void put(String key, byte[] content) {
        client.putObject(b -> b.bucket(BUCKET).key(prefix + "/" + key), RequestBody.fromBytes(content));
    }

    @Override
    List<String> leftovers() {
        return leftovers(client);
    }

    List<String> leftovers(S3Client c) {
        return c.listMultipartUploads(b -> b.bucket(BUCKET).prefix(prefix + "/")).uploads().stream()
                .map(u -> "unfinished multipart upload of " + u.key()).toList();
    }

    static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    /** Bytes that no longer match the checksum the store recorded at upload: nothing is made from them. */
    @Test
    void aDamagedPublishedArchiveIsReportedAndNothingIsCompletedFromIt() throws Exception {
        Path a = archive("build", "3.11.2", "archive bytes");
        publish(a);
        String name = a.getFileName().toString();
        String sha = Sha256.of(a);
        client.putObject(b -> b.bucket(BUCKET).key(prefix + "/" + name).metadata(java.util.Map.of("sha256", sha)),
                RequestBody.fromString("damaged bytes"));
        delete(name + ".sha256");
        UserError e = assertThrows(UserError.class, () -> complete(release("3.11.2"), null));
        assertTrue(e.getMessage().contains("but the store recorded " + Sha256.of(a) + " when it was uploaded: the "
                + "published archive is damaged"), e.getMessage());
        assertTrue(object(name + ".sha256").isEmpty());
        // The metadata says the bytes are ours, and anyone who can write the object can write that: this build's own
        // archive is compared with the published bytes, not with what the store recorded.
        delete(Publisher.ENTRIES + name + ".json");
        e = assertThrows(UserError.class, () -> publish(a));
        assertTrue(e.getMessage().contains("published archive is damaged or was replaced"), e.getMessage());
        assertTrue(object(name + ".sha256").isEmpty());
        assertTrue(object(Publisher.ENTRIES + name + ".json").isEmpty());
    }

    @Test
    void largeArchivesGoUpInPartsAndKeepTheirWholeSha256() throws Exception {
        Path a = archive("big", "3.12.13", random(12 << 20));
        List<Integer> parts = new ArrayList<>();
        try (S3Repository repo = openSmallParts(server, 3)) {
            repo.onPartUploaded(parts::add);
            assertEquals(Outcome.PUBLISHED, publisher(repo).publish(a).outcome());
        }
        assertEquals(List.of(1, 2, 3), parts, "12 MiB in 5 MiB parts");
        String key = a.getFileName().toString();
        assertArrayEquals(Files.readAllBytes(a), object(key).orElseThrow());
        HeadObjectResponse head = client.headObject(b -> b.bucket(BUCKET).key(prefix + "/" + key));
        assertEquals(Sha256.of(a), head.metadata().get("sha256"));
        assertEquals("application/zstd", head.contentType());
        assertEquals(List.of(), leftovers());

        parts.clear();
        try (S3Repository repo = openSmallParts(server, 3)) {
            repo.onPartUploaded(parts::add);
            assertEquals(Outcome.ALREADY_PUBLISHED, publisher(repo).publish(archive("again", "3.12.13", random(12 << 20)))
                    .outcome());
        }
        assertEquals(List.of(), parts, "nothing sent again");
    }

    @Test
    void aMultipartUploadRefusedAtCompletionIsAbortedAndLeavesTheOtherObject() throws Exception {
        Path a = archive("big", "3.12.13", random(11 << 20));
        String key = prefix + "/" + a.getFileName();
        byte[] theirs = "published by someone else meanwhile".getBytes();
        try (S3Repository repo = openSmallParts(server, 3)) {
            repo.onPartUploaded(part -> {
                if (part == 1) {
                    client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(theirs));
                }
            });
            UserError e = assertThrows(UserError.class, () -> publisher(repo).publish(a));
            assertTrue(e.getMessage().contains("already published with sha256"), e.getMessage());
        }
        assertArrayEquals(theirs, object(a.getFileName().toString()).orElseThrow());
        assertEquals(List.of(), leftovers(), "the refused upload was aborted");
    }

    @Test
    void aServerKilledMidUploadLeavesNoObjectAndARetryAfterRestartSucceeds(@TempDir Path dir) throws Exception {
        Path a = archive("big", "3.12.13", random(16 << 20));
        String key = a.getFileName().toString();
        try (S3Proxy dying = S3Proxy.start(dir, BUCKET); S3Client direct = dying.client()) {
            try (S3Repository repo = openSmallParts(dying, 2)) {
                repo.onPartUploaded(part -> {
                    if (part == 2) {
                        try {
                            dying.kill();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                });
                IOException e = assertThrows(IOException.class, () -> publisher(repo).publish(a));
                assertTrue(e.getMessage().contains("multipart upload of " + key), e.getMessage());
                assertTrue(e.getMessage().contains("failed after at most 2 attempts against " + dying.endpoint()),
                        e.getMessage());
            }
            dying.start();
            assertTrue(object(direct, key).isEmpty(), "no partial object is visible");
            assertTrue(object(direct, Publisher.INDEX).isEmpty(), "and no index entry");

            try (S3Repository repo = openSmallParts(dying, 2)) {
                assertEquals(Outcome.PUBLISHED, publisher(repo).publish(a).outcome());
            }
            assertArrayEquals(Files.readAllBytes(a), object(direct, key).orElseThrow());
            assertEquals(Sha256.of(a), Index.parse(object(direct, Publisher.INDEX).orElseThrow(), Publisher.INDEX).find(key).sha256());
        }
    }

    @Test
    void theServerRejectsABodyThatDoesNotMatchItsSha256() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "the bytes that arrive");
        String claimed = Sha256.of(Files.writeString(tmp.resolve("other"), "the bytes that were sent"));
        try (S3Repository repo = open()) {
            IOException e = assertThrows(IOException.class, () -> repo.putIfAbsent("corrupt", file, claimed));
            assertTrue(e.getMessage().contains("upload of file to s3://" + BUCKET + "/" + prefix + "/corrupt"), e.getMessage());
        }
        assertTrue(object("corrupt").isEmpty());
    }

    @Test
    void wrongCredentialsFailWithTheFixAndWithoutTheSecret() throws Exception {
        Path a = archive("build", "3.11.2", "bytes");
        S3Repository.Options wrong = new S3Repository.Options(server.endpoint(), "us-east-1", true,
                new S3Repository.Credentials(S3Proxy.ACCESS_KEY, "not-the-secret-1234"), 1 << 26, 1 << 24, 3);
        try (S3Repository repo = open(server, wrong)) {
            UserError e = assertThrows(UserError.class, () -> publisher(repo).publish(a));
            assertTrue(e.getMessage().contains("was refused (403"), e.getMessage());
            assertTrue(e.getMessage().contains("check the access key (the access key given, or the AWS SDK's default chain)"),
                    e.getMessage());
            assertFalse(e.getMessage().contains("not-the-secret-1234"), e.getMessage());
        }
        assertFalse(wrong.credentials().toString().contains("not-the-secret"));
    }

    @Test
    void aMissingBucketIsNamed() throws Exception {
        try (S3Repository repo = new S3Repository(new S3Repository.BucketPrefix("no-such-bucket", ""),
                server.options(1 << 26, 1 << 24, 3))) {
            UserError e = assertThrows(UserError.class, () -> publisher(repo).publish(archive("b", "3.11.2", "x")));
            assertTrue(e.getMessage().contains("bucket 'no-such-bucket' does not exist"), e.getMessage());
            // A real-sized archive (12 MB, as a quick 3.11 runtime is) is named too: before the upload, not mid-body.
            byte[] real = new byte[12 << 20];
            new java.util.Random(7).nextBytes(real);
            UserError big = assertThrows(UserError.class, () -> publisher(repo).publish(archive("c", "3.11.3", real)));
            assertTrue(big.getMessage().contains("bucket 'no-such-bucket' does not exist at " + server.endpoint()),
                    big.getMessage());
        }
    }

    @Test
    void aConsumerDownloadsThePublishedUrlWithCurlAndUnpacksIt() throws Exception {
        downloadsAndUnpacks("default");
    }

    /**
     * A variant's key has a '+', which S3 reads as a space in a URL's path: the URL deploy gives has it encoded
     * ({@code %2B}), and curl gets the archive with it.
     */
    @Test
    void aVariantsUrlHasItsPlusEncodedAndCurlGetsIt() throws Exception {
        String url = downloadsAndUnpacks("freethreaded");
        assertTrue(url.endsWith("/python-3.11.2%2Bfreethreaded-debian-12-amd64.tar.zst"), url);
    }

    private String downloadsAndUnpacks(String variant) throws Exception {
        Path content = Files.createDirectories(tmp.resolve("content/bin"));
        Files.writeString(content.resolve("python3"), "#!/bin/sh\necho consumer-ok\n");
        Path tarball = tmp.resolve("made.tar.zst");
        run(List.of("tar", "--zstd", "-cf", tarball.toString(), "-C", tmp.resolve("content").toString(), "bin"));
        Path a = archive("build", "3.11.2", variant, Files.readAllBytes(tarball));
        String url;
        try (S3Repository repo = open()) {
            url = publisher(repo).publish(a).url();
        }
        assertEquals(server.endpoint() + "/" + BUCKET + "/" + prefix + "/" + a.getFileName().toString().replace("+", "%2B"),
                url);
        Path out = Files.createDirectories(tmp.resolve("consumer"));
        // A private bucket: the consumer signs its request (curl's own SigV4; S3 wants the payload hash header, which
        // curl 7.88 does not add by itself), then pipes into tar.
        run(List.of("bash", "-c", "set -o pipefail; curl -fsSL --aws-sigv4 aws:amz:us-east-1:s3 --user \"$1\" "
                + "-H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' \"$2\" | tar --zstd -x -C \"$3\"", "consumer", S3Proxy.ACCESS_KEY + ":" + S3Proxy.SECRET_KEY, url,
                out.toString()));
        assertEquals("consumer-ok", run(List.of("sh", out.resolve("bin/python3").toString())).trim());
        return url;
    }

    @Test
    void bucketUrlsAreChecked() {
        S3Repository.Options s3 = S3Repository.Options.defaults();
        assertTrue(assertThrows(UserError.class, () -> Repositories.open("s3://Bad_Bucket/x", s3)).getMessage()
                .contains("is not a bucket name"));
        assertTrue(assertThrows(UserError.class, () -> Repositories.open("s3://ok-bucket/a/../b", s3)).getMessage()
                .contains("'..'"));
        assertTrue(assertThrows(UserError.class, () -> new S3Repository(new S3Repository.BucketPrefix("b-1", ""),
                server.options(1 << 26, 1 << 20, 3))).getMessage().contains("below S3's minimum"));
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), command + " failed:\n" + out);
        return out;
    }
}
