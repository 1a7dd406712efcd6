package dev.pyruntime.publish;

import dev.pyruntime.ProxySettings;
import dev.pyruntime.Setting;
import dev.pyruntime.Sha256;
import dev.pyruntime.UserError;
import dev.pyruntime.Vocabulary;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.GetUrlRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * A repository in an S3 bucket ({@code s3://bucket/prefix}), on AWS or any S3-compatible store (endpoint override,
 * path-style access).
 *
 * <ul>
 *   <li>Immutable objects are created with {@code If-None-Match: *}: S3 answers 412 when the key exists, and the
 *       existing object is left alone. Objects larger than the multipart threshold go up in parts; the upload is
 *       completed with {@code If-None-Match: *} too, and aborted when completing is refused or anything fails, so no
 *       part of it is left visible (parts of an upload that cannot even be aborted, because the store is gone, are
 *       never visible as an object; a bucket lifecycle rule "abort incomplete multipart uploads" reclaims them).</li>
 *   <li>Every upload carries its SHA-256 ({@code x-amz-checksum-sha256}, per part for multipart), so the store
 *       rejects a body that arrived corrupted. The whole object's SHA-256 is also stored as the metadata
 *       {@code x-amz-meta-sha256}: a multipart object's own checksum is a checksum of the parts' checksums, not
 *       the archive's.</li>
 *   <li>The index is replaced with {@code If-Match: <etag>} (or {@code If-None-Match: *} when there is none yet):
 *       compare-and-swap, 412 or 409 when another deploy changed it first.</li>
 *   <li>Transient failures (5xx, throttling, connection resets, timeouts) are retried by the SDK's standard retry
 *       strategy with exponential back-off and jitter, at most {@link Options#maxAttempts()} attempts per request.
 *       Every conditional write (an object's create, a multipart completion, the index's create and replace) carries
 *       a token of that write ({@code x-amz-meta-python-runtime-upload}) beside its SHA-256. A retried write whose
 *       first attempt in fact landed gets 412 (or 409); when the object then holds this write's token and SHA-256,
 *       the lost answer still counts as this deploy's write, not as somebody else's. An object another deploy wrote
 *       is compared by its SHA-256.</li>
 *   <li>Bodies are sent with a plain {@code Content-Length}, never {@code aws-chunked}: see {@link S3Clients}.</li>
 * </ul>
 */
public final class S3Repository implements Repository {
    /** S3's smallest part (except the last). */
    public static final int MIN_PART_SIZE = 5 << 20;

    private final String bucket;
    private final String prefix;
    private final Options options;
    private final Vocabulary words;
    private final S3Client client;
    private IntConsumer partListener = part -> { };

    /**
     * How to reach the bucket.
     *
     * @param endpoint           an S3-compatible store's endpoint ({@code https://minio.example:9000}), or null for AWS
     * @param region             the region, or null for the SDK's default chain (then us-east-1 with an endpoint)
     * @param pathStyle          address buckets as {@code endpoint/bucket/key} instead of {@code bucket.endpoint/key}
     * @param credentials        an access key, or null for the SDK's default credential chain
     * @param multipartThreshold objects larger than this many bytes go up in parts
     * @param partSize           the size of each part, at least {@link #MIN_PART_SIZE}
     * @param maxAttempts        attempts per request, the first included
     * @param proxy              the HTTP proxy to reach the store through (settings.xml's), or null
     */
    public record Options(URI endpoint, String region, boolean pathStyle, Credentials credentials, long multipartThreshold,
                          int partSize, int maxAttempts, ProxySettings proxy) {

        public Options(URI endpoint, String region, boolean pathStyle, Credentials credentials, long multipartThreshold,
                       int partSize, int maxAttempts) {
            this(endpoint, region, pathStyle, credentials, multipartThreshold, partSize, maxAttempts, null);
        }

        public static final long DEFAULT_MULTIPART_THRESHOLD = 64L << 20;
        public static final int DEFAULT_PART_SIZE = 16 << 20;
        public static final int DEFAULT_MAX_ATTEMPTS = 5;

        public static Options defaults() {
            return new Options(null, null, false, null, DEFAULT_MULTIPART_THRESHOLD, DEFAULT_PART_SIZE,
                    DEFAULT_MAX_ATTEMPTS);
        }
    }

    /** An access key. {@link #toString()} never shows the secret. */
    /**
     * An S3-compatible store's endpoint as the user gave it, or null for AWS S3 itself (none given).
     *
     * @throws UserError naming the setting when it is not an http(s) URL with a host
     */
    public static URI endpoint(String text, Vocabulary words) throws UserError {
        if (text == null || text.isBlank()) {
            return null;
        }
        URI endpoint;
        try {
            endpoint = URI.create(text.trim());
        } catch (IllegalArgumentException e) {
            throw new UserError(words.name(Setting.S3_ENDPOINT) + " '" + dev.pyruntime.Chars.shown(text)
                    + "' is not a URL: " + e.getMessage());
        }
        if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme()) || endpoint.getHost() == null) {
            throw new UserError(words.name(Setting.S3_ENDPOINT) + " '" + dev.pyruntime.Chars.shown(text) + "' must be "
                    + "an http(s) URL, such as " + words.set(Setting.S3_ENDPOINT, "https://minio.internal:9000"));
        }
        return endpoint;
    }

    public record Credentials(String accessKeyId, String secretAccessKey) {
        @Override
        public String toString() {
            return "Credentials[accessKeyId=" + accessKeyId + ", secretAccessKey=****]";
        }
    }

    /** A parsed {@code s3://bucket/prefix}. */
    public record BucketPrefix(String bucket, String prefix) {
        /**
         * @throws UserError naming the property and what a valid URL looks like
         */
        public static BucketPrefix parse(String url, String property) throws UserError {
            String rest = url.substring("s3://".length());
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String prefix = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("/+$", "");
            if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                throw new UserError(property + " '" + url + "': '" + bucket + "' is not a bucket name (3 to 63 lower-case "
                        + "letters, digits, dots and hyphens); expected s3://bucket/prefix, such as s3://my-bucket/runtimes");
            }
            if (prefix.startsWith("/") || List.of(prefix.split("/")).contains("..") || prefix.contains("//")) {
                throw new UserError(property + " '" + url + "': the prefix '" + prefix + "' has an empty or '..' segment");
            }
            return new BucketPrefix(bucket, prefix.isEmpty() ? "" : prefix + "/");
        }
    }

    public S3Repository(BucketPrefix location, Options options) throws UserError {
        this(location, options, Vocabulary.PLAIN);
    }

    /** @param words the front end's names for its settings, for the errors that say which one to fix */
    public S3Repository(BucketPrefix location, Options options, Vocabulary words) throws UserError {
        this(location, options, words, List.of());
    }

    /** @param interceptors for tests: hooks into the SDK's requests (such as one that loses an answer) */
    S3Repository(BucketPrefix location, Options options, Vocabulary words, List<ExecutionInterceptor> interceptors)
            throws UserError {
        this.words = words;
        if (options.partSize() < MIN_PART_SIZE) {
            throw new UserError(words.name(Setting.S3_PART_SIZE) + " is " + options.partSize() + " bytes, below S3's "
                    + "minimum part size of " + MIN_PART_SIZE + " (5 MiB); give at least that, such as "
                    + words.set(Setting.S3_PART_SIZE, Integer.toString(Options.DEFAULT_PART_SIZE)));
        }
        if (options.maxAttempts() < 1) {
            throw new UserError(words.name(Setting.S3_MAX_ATTEMPTS) + " is " + options.maxAttempts() + "; give at least "
                    + "1 (the first attempt), such as " + words.set(Setting.S3_MAX_ATTEMPTS, "5"));
        }
        this.bucket = location.bucket();
        this.prefix = location.prefix();
        this.options = options;
        this.client = S3Clients.builder(options, words, interceptors).build();
    }

    /** For tests: called after each part of a multipart upload went up, with its number. */
    void onPartUploaded(IntConsumer listener) {
        this.partListener = listener;
    }

    @Override
    public String describe() {
        return "s3://" + bucket + "/" + prefix;
    }

    @Override
    public String url(String key) {
        return client.utilities().getUrl(GetUrlRequest.builder().bucket(bucket).key(objectKey(key)).build()).toExternalForm();
    }

    private String objectKey(String key) {
        if (key.isEmpty() || key.startsWith("/") || List.of(key.split("/")).contains("..")) {
            throw new IllegalArgumentException("not a repository key: " + key);
        }
        return prefix + key;
    }

    private String s3Url(String key) {
        return "s3://" + bucket + "/" + objectKey(key);
    }

    @Override
    public boolean putIfAbsent(String key, Path file, String sha256) throws IOException, UserError {
        // A cheap look first: no need to send a large body the store would refuse.
        if (head(key).isPresent()) {
            return false;
        }
        long size = Files.size(file);
        return size > options.multipartThreshold() ? putMultipart(key, file, sha256, size) : putSingle(key, file, sha256);
    }

    private static String cacheControl(String key) {
        // Published objects never change; the index does.
        return key.endsWith(Publisher.INDEX) ? "no-cache" : "public, max-age=31536000, immutable";
    }

    private static String contentType(String key) {
        if (key.endsWith(".tar.zst")) {
            return "application/zstd";
        }
        return key.endsWith(".json") ? "application/json" : "text/plain; charset=utf-8";
    }

    /**
     * Metadata of an object this write creates or replaces: its SHA-256, and a token of this write. A 412 or 409 on a
     * retried attempt whose first attempt in fact stored the object (its answer was lost) finds its own token and
     * checksum, and the write is reported as done by this deploy, not as one somebody else did before.
     */
    private static Map<String, String> metadata(String sha256, String token) {
        return Map.of("sha256", sha256, UPLOAD_TOKEN, token);
    }

    static final String UPLOAD_TOKEN = "python-runtime-upload";

    /** A fresh token for one write (all the SDK's attempts at it send the same). */
    private static String newToken() {
        return java.util.UUID.randomUUID().toString();
    }

    /**
     * Whether a conditional write was refused: 412 (the key exists, or changed since it was read) or 409 (another
     * conditional write to it is in flight).
     */
    private static boolean refused(S3Exception e) {
        return e.statusCode() == 412 || e.statusCode() == 409;
    }

    /**
     * Whether the object at {@code key} is the one this write made: it carries the write's {@code token} and
     * {@code sha256}. Asked after a refused conditional write, which the SDK's retry of a write that landed gets.
     */
    private boolean ours(String key, String token, String sha256) throws IOException, UserError {
        return head(key).map(h -> token.equals(h.metadata().get(UPLOAD_TOKEN)) && sha256.equals(h.metadata().get("sha256")))
                .orElse(false);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] content) throws IOException, UserError {
        if (head(key).isPresent()) {
            return false;
        }
        return putSingle(key, RequestBody.fromBytes(content), Sha256.of(content), key);
    }

    private boolean putSingle(String key, Path file, String sha256) throws IOException, UserError {
        return putSingle(key, RequestBody.fromFile(file), sha256, file.getFileName().toString());
    }

    private boolean putSingle(String key, RequestBody body, String sha256, String what) throws IOException, UserError {
        String token = newToken();
        PutObjectRequest request = PutObjectRequest.builder().bucket(bucket).key(objectKey(key))
                .ifNoneMatch("*")
                .checksumSHA256(base64(sha256))
                .metadata(metadata(sha256, token))
                .contentType(contentType(key))
                .cacheControl(cacheControl(key))
                .build();
        try {
            client.putObject(request, body);
            return true;
        } catch (S3Exception e) {
            if (refused(e) && ours(key, token, sha256)) {
                return true;
            }
            if (e.statusCode() == 412) {
                return false;
            }
            throw failure("upload of " + what + " to " + s3Url(key), e);
        } catch (SdkException e) {
            throw failure("upload of " + what + " to " + s3Url(key), e);
        }
    }

    private boolean putMultipart(String key, Path file, String sha256, long size) throws IOException, UserError {
        String what = "multipart upload of " + file.getFileName() + " to " + s3Url(key);
        String uploadId;
        String token = newToken();
        uploadId = must(what, () -> client.createMultipartUpload(b -> b.bucket(bucket).key(objectKey(key))
                .checksumAlgorithm(ChecksumAlgorithm.SHA256)
                .metadata(metadata(sha256, token))
                .contentType(contentType(key))
                .cacheControl(cacheControl(key))).uploadId());
        boolean completed = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            byte[] buffer = new byte[(int) Math.min(options.partSize(), size)];
            try (InputStream in = Files.newInputStream(file)) {
                for (int number = 1; ; number++) {
                    int n = in.readNBytes(buffer, 0, buffer.length);
                    if (n == 0) {
                        break;
                    }
                    MessageDigest d = Sha256.digest();
                    d.update(buffer, 0, n);
                    String partSha = Base64.getEncoder().encodeToString(d.digest());
                    UploadPartRequest request = UploadPartRequest.builder().bucket(bucket).key(objectKey(key))
                            .uploadId(uploadId).partNumber(number).contentLength((long) n).checksumSHA256(partSha).build();
                    String etag = client.uploadPart(request, RequestBody.fromBytes(n == buffer.length ? buffer
                            : java.util.Arrays.copyOf(buffer, n))).eTag();
                    parts.add(CompletedPart.builder().partNumber(number).eTag(etag).checksumSHA256(partSha).build());
                    partListener.accept(number);
                }
            }
            CompleteMultipartUploadRequest complete = CompleteMultipartUploadRequest.builder().bucket(bucket)
                    .key(objectKey(key)).uploadId(uploadId).ifNoneMatch("*")
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()).build();
            try {
                client.completeMultipartUpload(complete);
                completed = true;
                return true;
            } catch (S3Exception e) {
                if (refused(e) && ours(key, token, sha256)) {
                    completed = true;
                    return true;
                }
                if (e.statusCode() == 412) {
                    return false;
                }
                throw e;
            }
        } catch (SdkException e) {
            throw failure(what, e);
        } finally {
            if (!completed) {
                abort(key, uploadId);
            }
        }
    }

    /** Best effort: when the store itself is gone, the upload's parts stay invisible until a lifecycle rule reclaims them. */
    private void abort(String key, String uploadId) {
        try {
            client.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(bucket).key(objectKey(key))
                    .uploadId(uploadId).build());
        } catch (SdkException ignored) {
            // The original failure is what the user needs to see.
        }
    }

    private Optional<HeadObjectResponse> head(String key) throws IOException, UserError {
        Optional<HeadObjectResponse> head = ifThere("looking up " + s3Url(key),
                () -> client.headObject(HeadObjectRequest.builder().bucket(bucket).key(objectKey(key)).build()));
        if (head.isEmpty()) {
            // A HEAD has no body, so its 404 does not say whether the key or the whole bucket is missing. Ask once: an
            // upload into a missing bucket fails only mid-body, for a real-sized archive with no more than "Error
            // writing request body to server".
            requireBucket();
        }
        return head;
    }

    /** An S3 call, which may also throw what reading its response body throws. */
    @FunctionalInterface
    private interface S3Call<T> {
        T call() throws IOException, UserError;
    }

    /**
     * The call's result, or empty when its object is not there (a 404 for the key, not for the bucket). Every other
     * failure goes through {@link #failure}: this and {@link #must} are the class's only error mappings besides the
     * conditional writes' own 412 and 409.
     */
    private <T> Optional<T> ifThere(String what, S3Call<T> call) throws IOException, UserError {
        try {
            return Optional.of(call.call());
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && !"NoSuchBucket".equals(errorCode(e))) {
                return Optional.empty();
            }
            throw failure(what, e);
        } catch (SdkException e) {
            throw failure(what, e);
        }
    }

    /** The call's result; any failure goes through {@link #failure}. */
    private <T> T must(String what, S3Call<T> call) throws IOException, UserError {
        try {
            return call.call();
        } catch (SdkException e) {
            throw failure(what, e);
        }
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() != null ? e.awsErrorDetails().errorCode() : null;
    }

    /** Whether the bucket is known to exist (asked once per repository). */
    private volatile boolean bucketExists;

    private void requireBucket() throws IOException, UserError {
        if (bucketExists) {
            return;
        }
        String what = "looking up s3://" + bucket + "/";
        if (ifThere(what, () -> client.headBucket(b -> b.bucket(bucket))).isEmpty()) {
            // A HEAD's 404 carries no error code: here it can only be the bucket.
            throw missingBucket(what);
        }
        bucketExists = true;
    }

    @Override
    public Optional<String> sha256(String key) throws IOException, UserError {
        Optional<HeadObjectResponse> head = head(key);
        if (head.isEmpty()) {
            return Optional.empty();
        }
        String recorded = head.get().metadata().get("sha256");
        if (recorded != null && Sha256.isValid(recorded)) {
            return Optional.of(recorded);
        }
        // Not uploaded by this plugin: read it.
        return Optional.of(must("reading " + s3Url(key), () -> {
            try (ResponseInputStream<GetObjectResponse> in = client.getObject(getRequest(key))) {
                return Sha256.of(in);
            }
        }));
    }

    @Override
    public Optional<Digest> digest(String key) throws IOException, UserError {
        return ifThere("reading " + s3Url(key), () -> {
            try (ResponseInputStream<GetObjectResponse> in = client.getObject(getRequest(key))) {
                java.security.DigestInputStream counted = new java.security.DigestInputStream(in, Sha256.digest());
                long size;
                try {
                    size = counted.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (IOException e) {
                    throw new IOException("reading " + s3Url(key) + " failed: " + e.getMessage(), e);
                }
                return new Digest(Sha256.hex(counted.getMessageDigest()), size);
            }
        });
    }

    @Override
    public Optional<Digest> download(String key, Path file, long max) throws IOException, UserError {
        return ifThere("downloading " + s3Url(key), () -> {
            try (ResponseInputStream<GetObjectResponse> in = client.getObject(getRequest(key))) {
                Long length = in.response().contentLength();
                if (length != null && length > max) {
                    in.abort();
                    throw new UserError(s3Url(key) + " holds " + length + " bytes, more than any runtime archive; it "
                            + "was not downloaded");
                }
                return Repository.copyBounded(in, file, max, s3Url(key));
            }
        });
    }

    @Override
    public boolean exists(String key) throws IOException, UserError {
        return head(key).isPresent();
    }

    @Override
    public List<String> list(String keyPrefix) throws IOException, UserError {
        // The empty prefix lists the whole repository.
        String listed = keyPrefix.isEmpty() ? prefix : objectKey(keyPrefix);
        List<String> out = must("listing s3://" + bucket + "/" + listed, () -> {
            List<String> keys = new ArrayList<>();
            for (S3Object o : client.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket)
                    .prefix(listed).build()).contents()) {
                keys.add(o.key().substring(prefix.length()));
            }
            return keys;
        });
        out.sort(null);
        return out;
    }

    @Override
    public Optional<Versioned> get(String key) throws IOException, UserError {
        return ifThere("reading " + s3Url(key), () -> {
            try (ResponseInputStream<GetObjectResponse> in = client.getObject(getRequest(key))) {
                Long length = in.response().contentLength();
                if (length != null && length > MAX_OBJECT_BYTES) {
                    in.abort();
                    throw Repository.tooLarge(s3Url(key), MAX_OBJECT_BYTES);
                }
                return new Versioned(Repository.readBounded(in, MAX_OBJECT_BYTES, s3Url(key)), in.response().eTag());
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Carries a token of this write, as {@link #putIfAbsent} does: when the SDK retries a write whose first attempt
     * landed (its answer was lost), the retry is refused, the object holds this write's token and checksum, and the
     * write reports success rather than "changed by someone else".</p>
     */
    @Override
    public boolean replaceIf(String key, byte[] content, String expectedTag) throws IOException, UserError {
        String sha256 = Sha256.of(content);
        String token = newToken();
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(bucket).key(objectKey(key))
                .checksumSHA256(base64(sha256))
                .metadata(metadata(sha256, token))
                .contentType(contentType(key))
                .cacheControl(cacheControl(key));
        if (expectedTag == null) {
            request.ifNoneMatch("*");
        } else {
            request.ifMatch(expectedTag);
        }
        try {
            client.putObject(request.build(), RequestBody.fromBytes(content));
            return true;
        } catch (S3Exception e) {
            // 412: changed since read; 409: another conditional write to it is in flight. Either way, unless the
            // refused attempt was a retry of this very write, which had landed.
            if (refused(e)) {
                return ours(key, token, sha256);
            }
            throw failure("writing " + s3Url(key), e);
        } catch (SdkException e) {
            throw failure("writing " + s3Url(key), e);
        }
    }

    /**
     * A failure as the user should see it: access and bucket problems are the user's to fix (thrown as a
     * {@link UserError} saying how); anything else, after the SDK's retries, is returned as an {@link IOException}
     * saying what was tried.
     */
    private IOException failure(String what, SdkException e) throws UserError {
        if (e instanceof software.amazon.awssdk.core.exception.SdkClientException
                && String.valueOf(e.getMessage()).startsWith("Unable to load credentials")) {
            // The SDK's text lists every provider of its chain and why each failed: a kilobyte that says "none".
            throw new UserError(what + ": no AWS credentials: " + words.credentialsHint());
        }
        if (e instanceof S3Exception s3) {
            String code = errorCode(s3);
            if (s3.statusCode() == 403 || "InvalidAccessKeyId".equals(code) || "SignatureDoesNotMatch".equals(code)) {
                throw new UserError(what + " was refused (" + s3.statusCode() + (code != null ? " " + code : "")
                        + "): check the access key (" + words.accessKeyHint() + ") and the bucket's policy");
            }
            if ("NoSuchBucket".equals(code)) {
                throw missingBucket(what);
            }
        }
        return new IOException(what + " failed after at most " + options.maxAttempts() + " attempts against " + endpoint()
                + ": " + e.getMessage(), e);
    }

    private String endpoint() {
        return options.endpoint() != null ? options.endpoint().toString() : "AWS S3";
    }

    private UserError missingBucket(String what) {
        return new UserError(what + " failed: bucket '" + bucket + "' does not exist at " + endpoint()
                + "; create it, or fix " + words.name(Setting.REPOSITORY));
    }

    private GetObjectRequest getRequest(String key) {
        return GetObjectRequest.builder().bucket(bucket).key(objectKey(key)).build();
    }

    private static String base64(String hex) {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    }

    @Override
    public void close() {
        client.close();
    }
}
