package dev.pyruntime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The HTTP proxy the plugin's own connections go through (source downloads, signatures, the Debian pool, S3), as
 * Maven's settings.xml {@code <proxy>} gives it: host, port, an optional user, and the hosts reached directly
 * ({@code nonProxyHosts}, {@code |}-separated, {@code *} a wildcard, as Maven and Java read them). {@link #toString()}
 * never shows the password.
 */
public record ProxySettings(String host, int port, String username, String password, List<String> nonProxyHosts) {

    public ProxySettings {
        nonProxyHosts = nonProxyHosts == null ? List.of() : List.copyOf(nonProxyHosts);
    }

    /** Splits settings.xml's {@code a.example|*.internal|localhost}. */
    public static List<String> splitNonProxyHosts(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(value.split("[|,]")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** Whether {@code host} is reached directly, not through the proxy. */
    public boolean bypasses(String target) {
        String h = target == null ? "" : target.toLowerCase(Locale.ROOT);
        for (String pattern : nonProxyHosts) {
            String regex = Pattern.quote(pattern.toLowerCase(Locale.ROOT)).replace("*", "\\E.*\\Q");
            if (h.matches(regex)) {
                return true;
            }
        }
        return false;
    }

    /** The proxy's URL, {@code http://host:port}. */
    public URI endpoint() {
        return URI.create("http://" + host + ":" + port);
    }

    /** For {@link java.net.http.HttpClient}: the proxy for every URI but those of {@link #nonProxyHosts}. */
    public ProxySelector selector() {
        Proxy proxy = new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(host, port));
        return new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                return bypasses(uri.getHost()) ? List.of(Proxy.NO_PROXY) : List.of(proxy);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
                // The request fails with its own error, which names the URL.
            }
        };
    }

    @Override
    public String toString() {
        return "ProxySettings[" + endpoint() + (username == null ? "" : ", user " + username + ", password ****")
                + (nonProxyHosts.isEmpty() ? "" : ", direct: " + String.join("|", nonProxyHosts)) + "]";
    }
}
