package dev.pyruntime.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pyruntime.ProxySettings;
import dev.pyruntime.UserError;
import dev.pyruntime.publish.S3Repository;
import java.util.List;
import org.apache.maven.settings.Proxy;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.DefaultSettingsProblem;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;
import org.junit.jupiter.api.Test;

/**
 * What the goals take from settings.xml: the active proxy and a server's access key, decrypted. The decrypter stands
 * in for Maven's (whose master-password files the IT compile-downloads-through-the-settings-proxy uses for real): it
 * turns {@code {enc}} into {@code plain}, or reports the problem Maven's would.
 */
class MavenSettingsTest {
    /** Maven's decrypter as it behaves: the settings with passwords decrypted, or a problem. */
    private static SettingsDecrypter decrypter(String problem) {
        return new SettingsDecrypter() {
            @Override
            public SettingsDecryptionResult decrypt(SettingsDecryptionRequest request) {
                List<SettingsProblem> problems = problem == null ? List.of() : List.of(new DefaultSettingsProblem(
                        problem, SettingsProblem.Severity.ERROR, "settings.xml", -1, -1, null));
                List<Proxy> proxies = request.getProxies().stream().map(p -> {
                    Proxy c = p.clone();
                    c.setPassword("{enc}".equals(p.getPassword()) ? "plain" : p.getPassword());
                    return c;
                }).toList();
                List<Server> servers = request.getServers().stream().map(s -> {
                    Server c = s.clone();
                    c.setPassword("{enc}".equals(s.getPassword()) ? "plain" : s.getPassword());
                    return c;
                }).toList();
                return new SettingsDecryptionResult() {
                    @Override
                    public Server getServer() {
                        return servers.isEmpty() ? null : servers.get(0);
                    }

                    @Override
                    public List<Server> getServers() {
                        return servers;
                    }

                    @Override
                    public Proxy getProxy() {
                        return proxies.isEmpty() ? null : proxies.get(0);
                    }

                    @Override
                    public List<Proxy> getProxies() {
                        return proxies;
                    }

                    @Override
                    public List<SettingsProblem> getProblems() {
                        return problems;
                    }
                };
            }
        };
    }

    private static Proxy proxy(String id, boolean active, String host, String user, String password) {
        Proxy p = new Proxy();
        p.setId(id);
        p.setActive(active);
        p.setHost(host);
        p.setPort(3128);
        p.setUsername(user);
        p.setPassword(password);
        p.setNonProxyHosts("localhost|*.internal");
        return p;
    }

    @Test
    void theFirstActiveProxyWithItsPasswordDecrypted() throws Exception {
        Settings s = new Settings();
        s.addProxy(proxy("off", false, "off.example", null, null));
        s.addProxy(proxy("corp", true, " proxy.internal ", "me", "{enc}"));
        ProxySettings p = new MavenSettings(s, decrypter(null)).proxy();
        assertEquals("proxy.internal", p.host());
        assertEquals(3128, p.port());
        assertEquals("me", p.username());
        assertEquals("plain", p.password());
        assertEquals(List.of("localhost", "*.internal"), p.nonProxyHosts());
        assertNull(new MavenSettings(new Settings(), decrypter(null)).proxy(), "no proxy");
    }

    @Test
    void aProxyThatCannotBeUsedSaysWhich() {
        Settings s = new Settings();
        s.addProxy(proxy("corp", true, "proxy.internal", "me", "{bad}"));
        assertEquals("settings.xml <proxy> 'corp': cannot decrypt its password: no master password",
                assertThrows(UserError.class, () -> new MavenSettings(s, decrypter("no master password")).proxy())
                        .getMessage());
        Settings noHost = new Settings();
        noHost.addProxy(proxy("corp", true, " ", null, null));
        assertEquals("settings.xml <proxy> 'corp' has no <host>; give the proxy's host name",
                assertThrows(UserError.class, () -> new MavenSettings(noHost, decrypter(null)).proxy()).getMessage());
    }

    @Test
    void aServersAccessKeyDecrypted() throws Exception {
        Settings s = new Settings();
        Server server = new Server();
        server.setId("runtimes");
        server.setUsername("AKIAEXAMPLE");
        server.setPassword("{enc}");
        s.addServer(server);
        S3Repository.Credentials c = new MavenSettings(s, decrypter(null)).credentials("runtimes");
        assertEquals("AKIAEXAMPLE", c.accessKeyId());
        assertEquals("plain", c.secretAccessKey());
        assertNull(new MavenSettings(s, decrypter(null)).credentials(" "), "no server id: the AWS SDK's chain");
    }

    @Test
    void aServerThatCannotBeUsedSaysHowToFixIt() {
        Settings s = new Settings();
        assertEquals("python-runtime.serverId 'runtimes': settings.xml has no <server> with that id; add <server><id>"
                + "runtimes</id><username>ACCESS_KEY_ID</username><password>SECRET</password></server> to "
                + "~/.m2/settings.xml", assertThrows(UserError.class,
                () -> new MavenSettings(s, decrypter(null)).credentials("runtimes")).getMessage());
        Server noKey = new Server();
        noKey.setId("runtimes");
        noKey.setPassword("secret");
        s.addServer(noKey);
        assertEquals("settings.xml <server> 'runtimes' needs <username> (the access key id) and <password> (the "
                + "secret access key)", assertThrows(UserError.class,
                () -> new MavenSettings(s, decrypter(null)).credentials("runtimes")).getMessage());
        assertEquals("settings.xml <server> 'runtimes': cannot decrypt its password: bad cipher", assertThrows(
                UserError.class, () -> new MavenSettings(s, decrypter("bad cipher")).credentials("runtimes"))
                .getMessage());
    }
}
