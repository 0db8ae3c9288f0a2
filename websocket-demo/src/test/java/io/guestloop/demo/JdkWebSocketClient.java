package io.guestloop.demo;

import io.guestloop.tck.Timeouts;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A JDK {@link java.net.http.WebSocket} client that queues every text message it receives, so a
 * test can wait for the message it expects. Not written by us: the client side is the JDK's.
 *
 * <p><b>Threading:</b> the JDK calls the listener on its own threads; tests call the other methods
 * from the test thread.
 */
final class JdkWebSocketClient implements AutoCloseable {

    /** How a connection ended: the close code and reason the server sent. */
    record Closed(int code, String reason) {
    }

    private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private JdkWebSocketClient(URI uri) {
        this(HttpClient.newHttpClient(), uri);
    }

    private JdkWebSocketClient(HttpClient client, URI uri) {
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder parts = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                parts.append(data);
                if (last) {
                    texts.add(parts.toString());
                    parts.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(new Closed(statusCode, reason));
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.completeExceptionally(error);
            }
        };
        this.socket = Timeouts.await(client.newWebSocketBuilder().buildAsync(uri, listener),
                "the JDK client's handshake with " + uri);
    }

    /** Connects to {@code path} of the demo, failing the test when the handshake does not succeed. */
    static JdkWebSocketClient connect(DemoServer demo, String path) {
        return connect(demo.pageUri(), path);
    }

    /** Connects to {@code path} of the demo whose page is at {@code page}. */
    static JdkWebSocketClient connect(URI page, String path) {
        return new JdkWebSocketClient(URI.create("ws://" + page.getRawAuthority() + path));
    }

    /**
     * Connects to {@code path} of the demo over {@code wss://} (its page is {@code https://}) with
     * {@code client}, whose TLS context says whom it trusts.
     */
    static JdkWebSocketClient connectSecure(HttpClient client, DemoServer demo, String path) {
        return new JdkWebSocketClient(client, URI.create("wss://" + demo.pageUri().getRawAuthority() + path));
    }

    /** Sends one text message and waits until the JDK has written it. */
    void send(String text) {
        Timeouts.await(socket.sendText(text, true), "sending '" + text + "'");
    }

    /** Sends one binary message and waits until the JDK has written it. */
    void send(ByteBuffer data) {
        Timeouts.await(socket.sendBinary(data, true), "sending a binary message");
    }

    /** The next text message, failing the test after {@link Timeouts#AWAIT}. */
    String next(String what) {
        return next(m -> true, what);
    }

    /**
     * Skips messages until one matches {@code wanted} and returns it, failing the test after
     * {@link Timeouts#AWAIT} with every message seen in the meantime.
     */
    String next(Predicate<String> wanted, String what) {
        long deadline = System.nanoTime() + Timeouts.AWAIT.toNanos();
        try {
            while (true) {
                String m = texts.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (m == null) {
                    throw new AssertionError("timed out after " + Timeouts.AWAIT.toSeconds() + " s waiting for " + what
                            + "; received meanwhile: " + seen);
                }
                seen.add(m);
                if (wanted.test(m)) {
                    return m;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        }
    }

    /** How the server ended the connection; fails the test when it does not within the timeout. */
    Closed awaitClosed() {
        return Timeouts.await(closed, "the server to close the connection");
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "");
        }
        socket.abort();
    }
}
