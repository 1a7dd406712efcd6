package dev.pyruntime.source;

import dev.pyruntime.Sha256;
import dev.pyruntime.PluginVersion;
import dev.pyruntime.ProxySettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;

/**
 * Copies what one URL points at into a local file, hashing it on the way: {@code http} and {@code https} through
 * {@link HttpClient} (redirects followed, except from https to http, and at most 4), {@code file:} by reading the file. A failure
 * of the location is a {@link FetchFailed} with a short reason; a failure to write the local file is an
 * {@link IOException}.
 */
final class Transfer {
    /** Closes a response body that has delivered nothing for the stall timeout, so a hung mirror cannot hang a build. */
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "python-runtime-transfer-watchdog");
        t.setDaemon(true);
        return t;
    });

    /**
     * The most a source tarball may be: CPython's are 20 to 30 MB (3.14's .tgz is 29 MB), so this is ample, and a
     * mirror that sends more (an endless body) is cut off here, not when the disk is full.
     */
    static final long MAX_SOURCE_BYTES = 256L << 20;
    /** The most a detached signature may be: python.org's .asc files are under 1 kB. */
    static final long MAX_SIGNATURE_BYTES = 64L << 10;
    /** How long one attempt may take in all, besides the stall timer: 29 MB at 30 kB/s. A trickle ends here. */
    static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(15);

    private final HttpClient http;
    private final Duration connectTimeout;
    private final Duration responseTimeout;
    private final Duration stallTimeout;
    private Duration deadline = DEFAULT_DEADLINE;
    private long maxSourceBytes = MAX_SOURCE_BYTES;

    /**
     * @param connectTimeout  how long to wait for a connection
     * @param responseTimeout how long to wait for the response headers once connected
     * @param stallTimeout    how long the body may deliver nothing before the transfer is abandoned
     */
    Transfer(Duration connectTimeout, Duration responseTimeout, Duration stallTimeout) {
        this(connectTimeout, responseTimeout, stallTimeout, null);
    }

    /** @param proxy the HTTP proxy to go through (settings.xml's), or null to connect directly */
    Transfer(Duration connectTimeout, Duration responseTimeout, Duration stallTimeout, ProxySettings proxy) {
        this.connectTimeout = connectTimeout;
        this.responseTimeout = responseTimeout;
        this.stallTimeout = stallTimeout;
        HttpClient.Builder builder = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(connectTimeout);
        if (proxy != null) {
            builder.proxy(proxy.selector());
            if (proxy.username() != null) {
                String user = proxy.username();
                char[] password = proxy.password() == null ? new char[0] : proxy.password().toCharArray();
                builder.authenticator(new java.net.Authenticator() {
                    @Override
                    protected java.net.PasswordAuthentication getPasswordAuthentication() {
                        return getRequestorType() == RequestorType.PROXY
                                ? new java.net.PasswordAuthentication(user, password) : null;
                    }
                });
            }
        }
        this.http = builder.build();
    }

    /** The same transfer with another cap for source tarballs (for tests: an endless body ends in megabytes). */
    Transfer withMaxSourceBytes(long maxSourceBytes) {
        this.maxSourceBytes = maxSourceBytes;
        return this;
    }

    /** The same transfer with another overall deadline per attempt (for tests: a trickle ends in seconds). */
    Transfer withDeadline(Duration deadline) {
        this.deadline = deadline;
        return this;
    }

    /** What was copied. */
    record Copied(long bytes, String sha256, Duration took) {
    }

    Copied copy(URI uri, Path target) throws FetchFailed, IOException {
        return copy(uri, target, maxSourceBytes);
    }

    /**
     * Copies {@code uri} to {@code target}, hashing it.
     *
     * @param maxBytes the most the file may be: a body that says or turns out to be larger is cut off there
     */
    Copied copy(URI uri, Path target, long maxBytes) throws FetchFailed, IOException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        long start = System.nanoTime();
        Counted counted = switch (scheme) {
            case "http", "https" -> fromHttp(uri, target, maxBytes);
            case "file" -> fromFile(uri, target, maxBytes);
            default -> throw new FetchFailed("unsupported URL scheme '" + scheme + "' (use http, https or file:)");
        };
        return new Copied(counted.bytes, Sha256.hex(counted.digest), Duration.ofNanos(System.nanoTime() - start));
    }

    private record Counted(long bytes, MessageDigest digest) {
    }

    private Counted fromFile(URI uri, Path target, long maxBytes) throws FetchFailed, IOException {
        Path file;
        try {
            file = Path.of(uri);
        } catch (IllegalArgumentException e) {
            throw new FetchFailed("not a usable file: URL (" + e.getMessage() + ")");
        }
        if (Files.isDirectory(file)) {
            throw new FetchFailed("is a directory");
        }
        InputStream in;
        try {
            in = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new FetchFailed("no such file");
        } catch (AccessDeniedException e) {
            throw new FetchFailed("permission denied");
        } catch (IOException e) {
            throw new FetchFailed("cannot read: " + e.getMessage());
        }
        try (in) {
            return pump(in, target, -1, maxBytes, () -> null);
        }
    }

    /** The URIs asked for on the way to {@code response}, the first request first and the response's own last. */
    private static List<URI> requested(HttpResponse<?> response) {
        java.util.LinkedList<URI> out = new java.util.LinkedList<>();
        for (Optional<? extends HttpResponse<?>> r = Optional.of(response); r.isPresent(); r = r.get().previousResponse()) {
            out.addFirst(r.get().uri());
        }
        return out;
    }

    /**
     * Why the client did not follow a redirect it was given, as the end of a failure: to another scheme, from https to
     * http (it never downgrades), back to a URL already asked for (a loop), or past the number it follows.
     *
     * @param at        the URL that answered with the redirect
     * @param location  its {@code Location} header, as sent
     * @param requested every URL asked for, {@code at} last
     */
    static String unfollowedRedirect(URI at, String location, List<URI> requested) {
        String what = ", a redirect to " + location + " that was not followed";
        URI to;
        try {
            to = at.resolve(location.trim());
        } catch (IllegalArgumentException e) {
            return what + " (it is not a URL)";
        }
        String scheme = to.getScheme() == null ? "" : to.getScheme().toLowerCase(Locale.ROOT);
        int redirects = requested.size() - 1;
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return what + " (only http and https are)";
        }
        if ("https".equalsIgnoreCase(at.getScheme()) && scheme.equals("http")) {
            return what + " (from https to http)";
        }
        if (requested.contains(to)) {
            return what + ": a redirect loop (" + to + " again after " + redirects + " redirects)";
        }
        return what + " (after " + redirects + " redirects, the most that are followed)";
    }

    private Counted fromHttp(URI uri, Path target, long maxBytes) throws FetchFailed, IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(responseTimeout)
                .header("User-Agent", "python-runtime/" + PluginVersion.get()).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new FetchFailed(reason(e, uri));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchFailed("interrupted");
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                String redirected = response.uri().equals(uri) ? "" : " (at " + response.uri() + ")";
                String location = response.statusCode() / 100 == 3 ? response.headers().firstValue("Location")
                        .map(to -> unfollowedRedirect(response.uri(), to, requested(response)))
                        .orElse("") : "";
                throw new FetchFailed("HTTP " + response.statusCode() + redirected + location);
            }
            long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (length > maxBytes) {
                throw new FetchFailed("announces " + length + " bytes, more than the " + maxBytes + " such a file can "
                        + "be; not downloaded");
            }
            long started = System.nanoTime();
            AtomicLong lastProgress = new AtomicLong(started);
            // Why the watchdog closed the body, if it did: a stall, or the attempt's overall deadline.
            java.util.concurrent.atomic.AtomicReference<String> cutOff = new java.util.concurrent.atomic.AtomicReference<>();
            long period = Math.max(10, Math.min(stallTimeout.toMillis(), deadline.toMillis()) / 4);
            ScheduledFuture<?> watch = WATCHDOG.scheduleAtFixedRate(() -> {
                long now = System.nanoTime();
                String why = now - lastProgress.get() > stallTimeout.toNanos()
                        ? "stalled: no data for " + stallTimeout.toSeconds() + " s"
                        : now - started > deadline.toNanos() ? "too slow: not done within " + deadline.toSeconds() + " s"
                        : null;
                if (why != null && cutOff.compareAndSet(null, why)) {
                    closeQuietly(body);
                }
            }, period, period, TimeUnit.MILLISECONDS);
            try {
                return pump(new ProgressStream(body, lastProgress), target, length, maxBytes, cutOff::get);
            } finally {
                watch.cancel(false);
            }
        }
    }

    /** Copies and hashes; read failures are the location's ({@link FetchFailed}), write failures are local. */
    private Counted pump(InputStream in, Path target, long expected, long maxBytes,
                         java.util.function.Supplier<String> cutOff) throws FetchFailed, IOException {
        MessageDigest digest = Sha256.digest();
        long total = 0;
        byte[] buffer = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(target)) {
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (IOException e) {
                    if (cutOff.get() != null) {
                        throw new FetchFailed(cutOff.get() + " after " + total + " bytes");
                    }
                    throw new FetchFailed("broke off after " + total + (expected >= 0 ? " of " + expected : "")
                            + " bytes: " + describe(e));
                }
                if (n < 0) {
                    break;
                }
                if (total + n > maxBytes) {
                    throw new FetchFailed("more than " + maxBytes + " bytes, larger than such a file can be; cut off "
                            + "there");
                }
                out.write(buffer, 0, n);
                digest.update(buffer, 0, n);
                total += n;
            }
        }
        if (expected >= 0 && total != expected) {
            throw new FetchFailed("broke off after " + total + " of " + expected + " bytes");
        }
        return new Counted(total, digest);
    }

    private String reason(IOException e, URI uri) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "unknown host " + uri.getHost();
            }
            if (t instanceof HttpConnectTimeoutException) {
                return "no connection within " + connectTimeout.toSeconds() + " s";
            }
            if (t instanceof HttpTimeoutException) {
                return "no response within " + responseTimeout.toSeconds() + " s";
            }
            if (t instanceof SSLException) {
                return "TLS failed: " + t.getMessage();
            }
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : root.getMessage();
        if (e instanceof ConnectException || root instanceof ConnectException) {
            return message.isEmpty() || message.toLowerCase(Locale.ROOT).contains("refused") ? "connection refused"
                    : "cannot connect: " + message;
        }
        return message.isEmpty() ? describe(e) : message;
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the reader sees the closed stream and reports the stall
        }
    }

    /** Records when data last arrived, for the stall watchdog. */
    private static final class ProgressStream extends java.io.FilterInputStream {
        private final AtomicLong lastProgress;

        ProgressStream(InputStream in, AtomicLong lastProgress) {
            super(in);
            this.lastProgress = lastProgress;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            lastProgress.set(System.nanoTime());
            return n;
        }
    }
}
