package dev.pyruntime.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyruntime.ProxySettings;
import dev.pyruntime.Sha256;
import dev.pyruntime.TinyProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishing goes through settings.xml's proxy too: a real tinyproxy in front of a real s3proxy, both on 127.0.0.1. */
class S3ThroughProxyTest {
    @TempDir
    Path tmp;

    @Test
    void anUploadAndItsLookupsGoThroughTheProxy() throws Exception {
        try (TinyProxy proxy = TinyProxy.start(tmp.resolve("proxy"));
             S3Proxy server = S3Proxy.start(tmp.resolve("s3"), "runtimes")) {
            S3Repository.Options base = server.options(S3Repository.Options.DEFAULT_MULTIPART_THRESHOLD,
                    S3Repository.Options.DEFAULT_PART_SIZE, 3);
            S3Repository.Options viaProxy = new S3Repository.Options(base.endpoint(), base.region(), base.pathStyle(),
                    base.credentials(), base.multipartThreshold(), base.partSize(), base.maxAttempts(),
                    new ProxySettings("127.0.0.1", proxy.port(), null, null, List.of()));
            Path archive = Files.writeString(tmp.resolve("python-3.11.2-debian-12-amd64.tar.zst"), "bytes");
            try (S3Repository repo = new S3Repository(new S3Repository.BucketPrefix("runtimes", "python/"), viaProxy)) {
                assertTrue(repo.putIfAbsent(archive.getFileName().toString(), archive, Sha256.of(archive)));
            }
            String key = server.endpoint() + "/runtimes/python/" + archive.getFileName();
            // The key's look-up, the bucket's (a HEAD's 404 does not say which is missing), the upload: all through it.
            assertEquals(List.of("HEAD " + key, "HEAD " + server.endpoint() + "/runtimes", "PUT " + key),
                    proxy.requests());
            assertTrue(Files.isRegularFile(server.dataDir().resolve("runtimes/python/" + archive.getFileName())));
        }
    }
}
