package dev.pyruntime.source;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP server on 127.0.0.1 (an ephemeral port) for tests: serves files fast, slowly, broken off, or not. */
final class LocalServer implements AutoCloseable {
    interface Reply {
        void send(HttpExchange exchange) throws IOException, InterruptedException;
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "local-server");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Reply> replies = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

    LocalServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            try (exchange) {
                Reply reply = replies.get(path);
                if (reply == null) {
                    exchange.sendResponseHeaders(404, -1);
                } else {
                    reply.send(exchange);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // the client went away; nothing to tell it
            }
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    URI base() {
        return URI.create(url(""));
    }

    int requests(String path) {
        AtomicInteger n = requests.get(path);
        return n == null ? 0 : n.get();
    }

    LocalServer serve(String path, byte[] body) {
        replies.put(path, exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        });
        return this;
    }

    /** Sends the body in chunks, pausing between them; before the last half it waits for {@code gate} (or 30 s). */
    LocalServer serveSlowly(String path, byte[] body, int chunk, long pauseMillis, CountDownLatch gate) {
        replies.put(path, exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            OutputStream out = exchange.getResponseBody();
            for (int off = 0; off < body.length; off += chunk) {
                if (off >= body.length / 2 && gate != null) {
                    gate.await(30, TimeUnit.SECONDS);
                }
                out.write(body, off, Math.min(chunk, body.length - off));
                out.flush();
                Thread.sleep(pauseMillis);
            }
        });
        return this;
    }

    /** Promises the whole body, sends {@code sent} bytes, then drops the connection. */
    LocalServer breakOff(String path, byte[] body, int sent) {
        replies.put(path, exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body, 0, sent);
            exchange.getResponseBody().flush();
            throw new IOException("dropping the connection on purpose");
        });
        return this;
    }

    /** Promises the whole body, sends {@code sent} bytes, then sends nothing more for {@code millis}. */
    LocalServer stall(String path, byte[] body, int sent, long millis) {
        replies.put(path, exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body, 0, sent);
            exchange.getResponseBody().flush();
            Thread.sleep(millis);
        });
        return this;
    }

    /** Sends zeros without a Content-Length (chunked) until the client goes away. */
    LocalServer endless(String path) {
        replies.put(path, exchange -> {
            exchange.sendResponseHeaders(200, 0);
            byte[] zeros = new byte[1 << 16];
            OutputStream out = exchange.getResponseBody();
            while (true) {
                out.write(zeros);
            }
        });
        return this;
    }

    LocalServer status(String path, int code) {
        replies.put(path, exchange -> exchange.sendResponseHeaders(code, -1));
        return this;
    }

    LocalServer redirect(String path, String to) {
        replies.put(path, exchange -> {
            exchange.getResponseHeaders().add("Location", to);
            exchange.sendResponseHeaders(302, -1);
        });
        return this;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
