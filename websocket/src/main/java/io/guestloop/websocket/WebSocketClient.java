package io.guestloop.websocket;

import io.guestloop.ServiceThread;
import io.guestloop.websocket.internal.ClientConnection;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An RFC 6455 client: connects with {@link ServiceThread#connect}, performs the opening handshake and
 * then serves the connection with a {@link WebSocketEndpoint}, exactly like the server side. Plain
 * {@code ws://} only (the guest API has no TLS).
 *
 * <pre>{@code
 * WebSocketClient client = WebSocketClient.builder().subprotocols("chat").build();
 * client.connect(thread, URI.create("ws://127.0.0.1:8080/chat"), endpoint)
 *       .thenAccept(socket -> socket.sendText("hello"));   // runs on the service thread
 * }</pre>
 *
 * <p><b>Threading:</b> the client is immutable and may be shared. {@link #connect} must be called on
 * the service thread it is given (from elsewhere, post the call with {@link io.guestloop.Mailbox});
 * the returned stage completes on that thread and the endpoint is called there.
 */
public final class WebSocketClient {

    private final WebSocketConfig config;
    private final List<String> subprotocols;
    private final String origin;
    private final Duration connectTimeout;

    private WebSocketClient(Builder b) {
        this.config = b.config;
        this.subprotocols = b.subprotocols;
        this.origin = b.origin;
        this.connectTimeout = b.connectTimeout;
    }

    /** A new builder: default config, no subprotocol, no Origin header, 10 s connect timeout. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Connects to {@code uri} ({@code ws://host[:port]/path?query}). The host is resolved with
     * {@link InetSocketAddress}, which may block on DNS: for a name that is not a literal address,
     * resolve it off the loop and use {@link #connect(ServiceThread, SocketAddress, URI, WebSocketEndpoint)}.
     *
     * @return completes with the open socket just before {@link WebSocketEndpoint#onOpen}; fails with {@link WebSocketException} when the connection or the
     *         handshake fails (the endpoint is then not called at all)
     * @throws IllegalArgumentException for a URI that is not {@code ws://}
     */
    public CompletionStage<WebSocket> connect(ServiceThread thread, URI uri, WebSocketEndpoint endpoint) {
        checkUri(uri);
        return connect(thread, new InetSocketAddress(uri.getHost(), port(uri)), uri, endpoint);
    }

    /**
     * Connects to {@code address} and asks for the host and target of {@code uri} in the handshake.
     *
     * @throws IllegalArgumentException for a URI that is not {@code ws://}
     */
    public CompletionStage<WebSocket> connect(ServiceThread thread, SocketAddress address, URI uri, WebSocketEndpoint endpoint) {
        checkUri(uri);
        Objects.requireNonNull(endpoint, "endpoint");
        String target = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            target += "?" + uri.getRawQuery();
        }
        String host = uri.getHost().contains(":") && !uri.getHost().startsWith("[") ? "[" + uri.getHost() + "]" : uri.getHost();
        String hostHeader = uri.getPort() < 0 ? host : host + ":" + uri.getPort();
        ClientConnection handler = new ClientConnection(hostHeader, target, origin, subprotocols, endpoint, config);
        try {
            thread.connect(address, connectTimeout, handler);
        } catch (IOException e) {
            CompletableFuture<WebSocket> failed = new CompletableFuture<>();
            failed.completeExceptionally(new WebSocketException(CloseCode.ABNORMAL_CLOSURE, 0,
                    "cannot open a socket to " + address + ": " + e.getMessage(), e));
            return failed;
        }
        return handler.opened();
    }

    private static void checkUri(URI uri) {
        Objects.requireNonNull(uri, "uri");
        if (!"ws".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("expected a ws://host[:port]/path URI, got " + uri
                    + (("wss".equalsIgnoreCase(uri.getScheme())) ? " (TLS is not supported by the guest API)" : ""));
        }
    }

    private static int port(URI uri) {
        return uri.getPort() < 0 ? 80 : uri.getPort();
    }

    /** Collects the settings of a {@link WebSocketClient}. Not thread-safe. */
    public static final class Builder {
        private WebSocketConfig config = WebSocketConfig.defaults();
        private List<String> subprotocols = List.of();
        private String origin;
        private Duration connectTimeout = Duration.ofSeconds(10);

        private Builder() {
        }

        /** The limits and timeouts to apply. */
        public Builder config(WebSocketConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** The subprotocols to offer, in order of preference. */
        public Builder subprotocols(String... names) {
            this.subprotocols = List.of(names);
            return this;
        }

        /** The {@code Origin} header to send; none by default. */
        public Builder origin(String origin) {
            this.origin = origin;
            return this;
        }

        /** How long the TCP connect may take (positive). */
        public Builder connectTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive, was " + timeout);
            }
            this.connectTimeout = timeout;
            return this;
        }

        /** The immutable client. */
        public WebSocketClient build() {
            return new WebSocketClient(this);
        }
    }
}
