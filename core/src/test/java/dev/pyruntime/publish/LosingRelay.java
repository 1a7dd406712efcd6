package dev.pyruntime.publish;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP relay on 127.0.0.1 in front of a real server that loses one response: on the first connection that sends a
 * {@code PUT}, the server's final answer to it (not a {@code 100 Continue}) is dropped and the client's connection
 * closed, as when a network fails after the store has already written the object.
 */
final class LosingRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final int target;
    private final AtomicBoolean lost = new AtomicBoolean();

    LosingRelay(int targetPort) throws IOException {
        this.target = targetPort;
        this.listener = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "losing-relay");
        accept.setDaemon(true);
        accept.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    /** Whether a response was lost. */
    boolean lost() {
        return lost.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                AtomicBoolean sentPut = new AtomicBoolean();
                pump(client, server, sentPut, true);
                pump(server, client, sentPut, false);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, AtomicBoolean sentPut, boolean request) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[65536];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    String head = new String(buffer, 0, Math.min(n, 16), StandardCharsets.ISO_8859_1);
                    if (request && head.startsWith("PUT ")) {
                        sentPut.set(true);
                    }
                    if (!request && sentPut.get() && head.startsWith("HTTP/1.1 ") && !head.startsWith("HTTP/1.1 100")
                            && lost.compareAndSet(false, true)) {
                        from.close();
                        to.close();
                        return;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // One side closed: so does the other, below.
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // Already closed.
                }
            }
        }, "losing-relay-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
