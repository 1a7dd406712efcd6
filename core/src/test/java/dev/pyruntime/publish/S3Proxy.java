package dev.pyruntime.publish;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for tests: s3proxy (its jar-with-dependencies, copied by the build; see the {@code s3proxy.jar}
 * system property) with its filesystem backend, in its own process, listening on 127.0.0.1 only, with authentication
 * on. Can be killed hard and started again on the same port and data.
 */
final class S3Proxy implements AutoCloseable {
    static final String ACCESS_KEY = "test-access-key";
    static final String SECRET_KEY = "test-secret-key-not-used-anywhere-else";

    private final Path dir;
    private final int port;
    private Process process;

    private S3Proxy(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Starts a server keeping its buckets under {@code dir/data}, with the given buckets created. */
    static S3Proxy start(Path dir, String... buckets) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        S3Proxy proxy = new S3Proxy(dir, port);
        for (String bucket : buckets) {
            // The filesystem backend's bucket is a directory.
            Files.createDirectories(dir.resolve("data").resolve(bucket));
        }
        proxy.start();
        return proxy;
    }

    void start() throws IOException, InterruptedException {
        String jar = System.getProperty("s3proxy.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("s3proxy.jar (system property) is not a file: " + jar
                    + "; run the tests through Maven, which copies it to target/s3proxy");
        }
        Files.createDirectories(dir.resolve("data"));
        Path conf = dir.resolve("s3proxy.conf");
        Files.write(conf, List.of(
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + dir.resolve("data")));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        process = new ProcessBuilder(java.toString(), "-Xmx256m", "-jar", jar, "--properties", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("s3proxy.log").toFile()))
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("s3proxy exited with " + process.exitValue() + "; see " + dir.resolve("s3proxy.log")
                        + ":\n" + Files.readString(dir.resolve("s3proxy.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IOException("s3proxy did not listen on 127.0.0.1:" + port + " within 60 s; see "
                            + dir.resolve("s3proxy.log"));
                }
                Thread.sleep(100);
            }
        }
    }

    /** Kills the server at once, as a crash would. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    int port() {
        return port;
    }

    Path dataDir() {
        return dir.resolve("data");
    }

    /** Repository options for this server (path style, its access key). */
    S3Repository.Options options(long multipartThreshold, int partSize, int maxAttempts) {
        return new S3Repository.Options(endpoint(), "us-east-1", true,
                new S3Repository.Credentials(ACCESS_KEY, SECRET_KEY), multipartThreshold, partSize, maxAttempts);
    }

    /**
     * A plain client, for the tests to look at the store themselves; like the repository's, it sends no aws-chunked
     * bodies, which s3proxy answers before it has read them (see {@link S3Clients}).
     */
    S3Client client() {
        return S3Client.builder().httpClient(UrlConnectionHttpClient.create()).endpointOverride(endpoint())
                .region(Region.US_EAST_1).forcePathStyle(true)
                .serviceConfiguration(S3Clients.serviceConfiguration())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    /**
     * Stops the server at once. Nothing is lost: its filesystem backend has written every object before answering
     * for it, and the tests are done asking. A graceful stop took some 1.8 s whenever a client's idle keep-alive
     * connection was still open (the JDK's connection cache keeps them past the client's close), as it is after
     * every test class.
     */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }
}
