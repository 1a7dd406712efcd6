package dev.pyruntime.publish;

import dev.pyruntime.ProxySettings;
import dev.pyruntime.Setting;
import dev.pyruntime.UserError;
import dev.pyruntime.Vocabulary;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.ProxyConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * The S3 client an {@link S3Repository} talks through: its HTTP client and proxy, region, credentials (the given
 * access key, or the AWS SDK's default chain), checksum policy, body encoding and retries. Split from the repository,
 * which is about objects and keys.
 *
 * <p>Bodies go up as plain {@code Content-Length} bodies, never {@code aws-chunked}. Over HTTPS the SDK sends them
 * that way anyway (the payload is not signed; TLS and the {@code x-amz-checksum-sha256} header protect it). Over plain
 * HTTP it signs the payload, and by default does so in {@code aws-chunked} frames ending in a zero-length chunk;
 * s3proxy (4.1.0) stores and answers such an upload once it has read the decoded length, before that last chunk, and
 * its Jetty then closes the connection on the bytes still coming: the client sees "Error writing request body to
 * server" or "Unexpected end of file from server" for a write that landed (125 of 1,000 small PUTs in
 * {@code bench/s3-small-puts}). With aws-chunked off, the SDK signs the body's SHA-256 in the request headers
 * instead: the server reads exactly the body it was told, and the connection stays open. The cost is one extra read
 * of a file body for its hash, on plain-HTTP endpoints only.</p>
 */
final class S3Clients {
    private S3Clients() {
    }

    static S3Client build(S3Repository.Options options, Vocabulary words) throws UserError {
        return builder(options, words, List.of()).build();
    }

    /**
     * The configured builder of {@link #build}; for tests that change one thing of it.
     *
     * @param interceptors for tests: hooks into the SDK's requests (such as one that loses an answer)
     */
    static S3ClientBuilder builder(S3Repository.Options options, Vocabulary words, List<ExecutionInterceptor> interceptors)
            throws UserError {
        var builder = S3Client.builder()
                .httpClient(httpClient(options.proxy()))
                .region(region(options, words))
                .forcePathStyle(options.pathStyle())
                .credentialsProvider(credentials(options.credentials()))
                // Only the checksums this class sets itself (SHA-256, precomputed): no CRC trailers that some
                // S3-compatible stores do not understand, and one read of the file fewer.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .serviceConfiguration(serviceConfiguration())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .executionInterceptors(interceptors)
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(options.maxAttempts()).build())
                        .build());
        if (options.endpoint() != null) {
            builder.endpointOverride(options.endpoint());
        }
        return builder;
    }

    /** No aws-chunked bodies (see the class comment). */
    static S3Configuration serviceConfiguration() {
        return S3Configuration.builder().chunkedEncodingEnabled(false).build();
    }

    private static software.amazon.awssdk.http.SdkHttpClient httpClient(ProxySettings proxy) {
        UrlConnectionHttpClient.Builder http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(Duration.ofSeconds(60));
        if (proxy != null) {
            ProxyConfiguration.Builder p = ProxyConfiguration.builder().endpoint(proxy.endpoint())
                    .nonProxyHosts(new java.util.HashSet<>(proxy.nonProxyHosts()))
                    .useSystemPropertyValues(false).useEnvironmentVariablesValues(false);
            if (proxy.username() != null) {
                p.username(proxy.username()).password(proxy.password());
            }
            http.proxyConfiguration(p.build());
        }
        return http.build();
    }

    private static Region region(S3Repository.Options options, Vocabulary words) throws UserError {
        if (options.region() != null && !options.region().isBlank()) {
            return Region.of(options.region());
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException none) {
            if (options.endpoint() != null) {
                // S3-compatible stores accept any region in the signature; us-east-1 is what their docs use.
                return Region.US_EAST_1;
            }
            throw new UserError("no AWS region for S3: set " + words.name(Setting.S3_REGION) + " (such as eu-west-1), "
                    + "or AWS_REGION");
        }
    }

    /** The credentials a repository signs with: the access key given, or else the SDK's whole default chain. */
    static AwsCredentialsProvider credentials(S3Repository.Credentials c) {
        return c == null ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey()));
    }
}
