package io.guestloop.websocket;

import io.guestloop.ServiceThread;
import io.guestloop.WrongThreadException;
import io.guestloop.websocket.internal.ClientConnection;
import io.guestloop.websocket.internal.HostLookup;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

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
 * it never blocks it, not even for DNS (host names are looked up on the
 * {@linkplain Builder#resolver resolver}); the returned stage completes on that thread and the
 * endpoint is called there.
 */
public final class WebSocketClient {

    private final WebSocketConfig config;
    private final List<String> subprotocols;
    private final String origin;
    private final Duration connectTimeout;
    private final Executor resolver;

    private WebSocketClient(Builder b) {
        this.config = b.config;
        this.subprotocols = b.subprotocols;
        this.origin = b.origin;
        this.connectTimeout = b.connectTimeout;
        this.resolver = b.resolver;
    }

    /**
     * A new builder: default config, no subprotocol, no Origin header, 10 s connect timeout, host
     * names looked up on a small shared pool of daemon threads.
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Connects to {@code uri} ({@code ws://host[:port]/path?query}). A host name (even
     * {@code localhost}) is looked up on the {@linkplain Builder#resolver resolver}, never on the
     * loop, which goes on serving its other work meanwhile; a literal IPv4 address or a bracketed
     * IPv6 one is used as it is. The lookup counts against the connect timeout, and the TCP connect
     * then gets a connect timeout of its own.
     *
     * @return completes on {@code thread} with the open socket just before
     *         {@link WebSocketEndpoint#onOpen}; fails with {@link WebSocketException} when the host
     *         cannot be resolved (the message names it), or the connection or the handshake fails
     *         (the endpoint is then not called at all)
     * @throws IllegalArgumentException for a URI that is not {@code ws://}
     * @throws WrongThreadException     when not called on {@code thread}
     */
    public CompletionStage<WebSocket> connect(ServiceThread thread, URI uri, WebSocketEndpoint endpoint) {
        checkUri(uri);
        Objects.requireNonNull(endpoint, "endpoint");
        if (!thread.inLoop()) {
            throw new WrongThreadException("WebSocketClient.connect", thread.name(), Thread.currentThread().getName());
        }
        InetAddress literal = HostLookup.literal(uri.getHost());
        if (literal != null) {
            return connect(thread, new InetSocketAddress(literal, port(uri)), uri, endpoint);
        }
        CompletableFuture<WebSocket> opened = new CompletableFuture<>();
        HostLookup.lookUp(thread, uri.getHost(), resolver, connectTimeout).whenComplete((address, failure) -> {
            // on the service thread: the lookup's answer came back through a mailbox
            if (failure != null) {
                opened.completeExceptionally(failure);
            } else {
                connect(thread, new InetSocketAddress(address, port(uri)), uri, endpoint).whenComplete((socket, e) -> {
                    if (e != null) {
                        opened.completeExceptionally(e);
                    } else {
                        opened.complete(socket);
                    }
                });
            }
        });
        return opened;
    }

    /**
     * Connects to {@code address} and asks for the host and target of {@code uri} in the handshake.
     * Nothing is looked up here.
     *
     * @throws IllegalArgumentException for a URI that is not {@code ws://}, or an address that is an
     *                                  unresolved {@link InetSocketAddress} (resolve it off the loop
     *                                  first, or use {@link #connect(ServiceThread, URI, WebSocketEndpoint)})
     */
    public CompletionStage<WebSocket> connect(ServiceThread thread, SocketAddress address, URI uri, WebSocketEndpoint endpoint) {
        checkUri(uri);
        Objects.requireNonNull(endpoint, "endpoint");
        if (address instanceof InetSocketAddress inet && inet.isUnresolved()) {
            throw new IllegalArgumentException("address " + address + " is unresolved and may not be looked up on the loop; "
                    + "resolve it on another thread first, or use connect(thread, uri, endpoint), which does");
        }
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
        private Executor resolver = HostLookup.sharedResolver();

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

        /**
         * Where {@link #connect(ServiceThread, URI, WebSocketEndpoint)} looks host names up: the
         * lookup blocks on DNS, so this must be an executor whose threads are not loop threads (the
         * answer comes back to the service thread by itself). The default is a small shared pool of
         * daemon threads.
         */
        public Builder resolver(Executor executor) {
            this.resolver = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** The immutable client. */
        public WebSocketClient build() {
            return new WebSocketClient(this);
        }
    }
}
