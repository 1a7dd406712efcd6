package dev.pyruntime.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyruntime.ProxySettings;
import dev.pyruntime.Sha256;
import dev.pyruntime.TinyProxy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Source downloads go through settings.xml's proxy (a real tinyproxy on 127.0.0.1), except to its nonProxyHosts. */
class ProxyTransferTest {
    @TempDir
    Path tmp;

    @Test
    void aDownloadGoesThroughTheProxyAndANonProxyHostDirectly() throws Exception {
        byte[] body = "the tarball's bytes".getBytes();
        try (TinyProxy proxy = TinyProxy.start(tmp.resolve("proxy"));
             LocalServer server = new LocalServer().serve("/Python-3.11.2.tgz", body).serve("/direct.tgz", body)) {
            ProxySettings settings = new ProxySettings("127.0.0.1", proxy.port(), null, null, List.of());
            Transfer through = new Transfer(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10), settings);
            Transfer.Copied copied = through.copy(URI.create(server.url("/Python-3.11.2.tgz")), tmp.resolve("a.tgz"));
            assertEquals(Sha256.of(body), copied.sha256());
            assertEquals(List.of("GET " + server.url("/Python-3.11.2.tgz")), proxy.requests());

            ProxySettings bypass = new ProxySettings("127.0.0.1", proxy.port(), null, null,
                    ProxySettings.splitNonProxyHosts("*.internal|127.0.0.*"));
            new Transfer(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10), bypass)
                    .copy(URI.create(server.url("/direct.tgz")), tmp.resolve("b.tgz"));
            assertEquals(1, server.requests("/direct.tgz"));
            assertEquals(List.of("GET " + server.url("/Python-3.11.2.tgz")), proxy.requests(), "not through the proxy");
            assertTrue(Files.isRegularFile(tmp.resolve("b.tgz")));
        }
    }

    @Test
    void nonProxyHostsAreMavensPatterns() {
        ProxySettings p = new ProxySettings("proxy", 3128, "me", "secret",
                ProxySettings.splitNonProxyHosts("localhost|*.internal.example| 10.0.0.* "));
        assertTrue(p.bypasses("localhost"));
        assertTrue(p.bypasses("mirror.internal.example"));
        assertTrue(p.bypasses("10.0.0.7"));
        assertFalse(p.bypasses("internal.example.org"));
        assertFalse(p.bypasses("deb.example.org"));
        assertFalse(p.toString().contains("secret"), p.toString());
    }
}
