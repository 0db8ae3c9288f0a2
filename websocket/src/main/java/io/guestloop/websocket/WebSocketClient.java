package io.guestloop.websocket;

import io.guestloop.ServiceThread;
import io.guestloop.WrongThreadException;
import io.guestloop.tls.ClientTls;
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
 * then serves the connection with a {@link WebSocketEndpoint}, exactly like the server side.
 * {@code wss://} runs over the guest core's TLS: the URI's host is sent as the server name (SNI) and
 * checked against the server's certificate, against what the JVM trusts unless
 * {@link Builder#tls(ClientTls)} says otherwise.
 *
 * <pre>{@code
 * WebSocketClient client = WebSocketClient.builder().subprotocols("chat").build();
 * client.connect(thread, URI.create("ws://127.0.0.1:8080/chat"), endpoint)
 *       .thenAccept(socket -> socket.sendText("hello"));   // runs on the service thread
 *
 * WebSocketClient secure = WebSocketClient.builder().tls(ClientTls.of(sslContext)).build();
 * secure.connect(thread, URI.create("wss://example.org/chat"), endpoint);
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
    /** Null until a {@code wss://} connect needs the JVM's default. */
    private final ClientTls tls;

    private WebSocketClient(Builder b) {
        this.config = b.config;
        this.subprotocols = b.subprotocols;
        this.origin = b.origin;
        this.connectTimeout = b.connectTimeout;
        this.resolver = b.resolver;
        this.tls = b.tls;
    }

    /**
     * A new builder: default config, no subprotocol, no Origin header, 10 s connect timeout, host
     * names looked up on a small shared pool of daemon threads.
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Connects to {@code uri} ({@code ws://host[:port]/path?query}, or {@code wss://} for TLS, port
     * 443 by default). A host name (even
     * {@code localhost}) is looked up on the {@linkplain Builder#resolver resolver}, never on the
     * loop, which goes on serving its other work meanwhile; a literal IPv4 address or a bracketed
     * IPv6 one is used as it is. The lookup counts against the connect timeout, and the TCP connect
     * then gets a connect timeout of its own.
     *
     * @return completes on {@code thread} with the open socket just before
     *         {@link WebSocketEndpoint#onOpen}; fails with {@link WebSocketException} when the host
     *         cannot be resolved (the message names it), or the connection, the TLS handshake (its
     *         {@link javax.net.ssl.SSLHandshakeException} is the cause: an untrusted certificate, say)
     *         or the WebSocket handshake fails (the endpoint is then not called at all)
     * @throws IllegalArgumentException for a URI that is neither {@code ws://} nor {@code wss://}
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
     * @throws IllegalArgumentException for a URI that is neither {@code ws://} nor {@code wss://}, or an address that is an
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
            if (secure(uri)) {
                thread.connect(address, connectTimeout, tlsFor(uri), handler);
            } else {
                thread.connect(address, connectTimeout, handler);
            }
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
        if (!("ws".equalsIgnoreCase(uri.getScheme()) || secure(uri)) || uri.getHost() == null) {
            throw new IllegalArgumentException("expected a ws://host[:port]/path or wss://host[:port]/path URI, got " + uri);
        }
    }

    private static boolean secure(URI uri) {
        return "wss".equalsIgnoreCase(uri.getScheme());
    }

    /** The TLS of a {@code wss://} connect: the URI's host is the server name, unless the settings name one. */
    private ClientTls tlsFor(URI uri) {
        ClientTls base = tls != null ? tls : ClientTls.system();
        if (base.serverName() != null) {
            return base;
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return base.withServerName(host);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : secure(uri) ? 443 : 80;
    }

    /** Collects the settings of a {@link WebSocketClient}. Not thread-safe. */
    public static final class Builder {
        private WebSocketConfig config = WebSocketConfig.defaults();
        private List<String> subprotocols = List.of();
        private String origin;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Executor resolver = HostLookup.sharedResolver();
        private ClientTls tls;

        private Builder() {
        }

        /**
         * The TLS of {@code wss://} connects: whom to trust ({@code ClientTls.of(sslContext)}), ALPN,
         * the handshake timeout. The server name is the URI's host unless {@code tls} names one.
         * Default: {@link ClientTls#system()}, what the JVM trusts, with the host name verified.
         */
        public Builder tls(ClientTls tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
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
