package io.guestloop.websocket;

import io.guestloop.Connection;
import io.guestloop.ConnectionHandler;
import io.guestloop.websocket.internal.ConnectionState;
import io.guestloop.websocket.internal.OriginCheck;
import io.guestloop.websocket.internal.ServerHandshake;
import io.guestloop.websocket.internal.ServerRoutes;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * An RFC 6455 server as a {@link ConnectionHandler}: give it to a listener
 * ({@code GuestContext.builder().listen(address, server)} or {@code ServiceThread.listen}) and it
 * answers every accepted connection. An upgrade request is routed by its path (the request target
 * without query) to a {@link WebSocketEndpoint}; a plain GET or HEAD is answered from the static
 * pages held in memory, 404 otherwise. No part of a request is ever used to reach the file system.
 *
 * <pre>{@code
 * WebSocketServer server = WebSocketServer.builder()
 *         .endpoint("/echo", new WebSocketEndpoint() {
 *             public void onText(WebSocket socket, String text) { socket.sendText(text); }
 *         })
 *         .page("/", "text/html; charset=utf-8", indexHtml)
 *         .build();
 * GuestContext ctx = GuestContext.builder().listen(new InetSocketAddress(8080), server).build();
 * }</pre>
 *
 * <p>Handshake answers: 400 for a malformed or oversized request head or a bad upgrade, 403 when the
 * origin check refuses, 404 for a path with no endpoint, 426 with {@code Sec-WebSocket-Version: 13}
 * for another protocol version.
 *
 * <p><b>Origins.</b> By default an upgrade is refused (403) when it carries an {@code Origin} header
 * that is not the server's own origin as the request's {@code Host} names it: browsers let any site
 * open a WebSocket to any server with the visitor's cookies, and a server that accepted them all
 * could be driven by another site (cross-site WebSocket hijacking). A request without
 * {@code Origin} (a client that is not a browser) is accepted. A page served by this same server
 * passes. {@link Builder#originCheck} sets another rule; {@link Builder#allowAnyOrigin()} turns the
 * check off.
 *
 * <p><b>Threading:</b> the builder and the built server are immutable and may be shared; the
 * handler methods are called by the guest core on each connection's service thread.
 */
public final class WebSocketServer implements ConnectionHandler {

    private final ServerRoutes routes;
    private final WebSocketConfig config;

    private WebSocketServer(ServerRoutes routes, WebSocketConfig config) {
        this.routes = routes;
        this.config = config;
    }

    /** A new builder with no endpoint, no page, the same-origin check and the default config. */
    public static Builder builder() {
        return new Builder();
    }

    /** The limits and timeouts this server applies. */
    public WebSocketConfig config() {
        return config;
    }

    @Override
    public void onOpen(Connection connection) {
        connection.attach(new ServerHandshake(connection, routes, config));
    }

    @Override
    public void onData(Connection connection, ByteBuffer data) {
        ConnectionState state = connection.attachment();
        state.onData(data);
    }

    @Override
    public void onWritabilityChanged(Connection connection, boolean writable) {
        ConnectionState state = connection.attachment();
        state.onWritabilityChanged(writable);
    }

    @Override
    public void onWritable(Connection connection) {
        ConnectionState state = connection.attachment();
        state.onWritable();
    }

    /** A polite shutdown: each session closes with 1001 and waits for its peer's reply. */
    @Override
    public void onShutdown(Connection connection) {
        ConnectionState state = connection.attachment();
        if (state != null) {
            state.onShutdown();
        } else {
            connection.closeAfterFlush();
        }
    }

    @Override
    public void onClosed(Connection connection, Throwable cause) {
        ConnectionState state = connection.attachment();
        if (state != null) {
            state.onClosed(cause);
        }
    }

    /** Collects the routes of a {@link WebSocketServer}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, ServerRoutes.Route> endpoints = new HashMap<>();
        private final Map<String, ServerRoutes.Page> pages = new HashMap<>();
        private OriginCheck originCheck = OriginCheck.SAME_ORIGIN;
        private WebSocketConfig config = WebSocketConfig.defaults();

        private Builder() {
        }

        /**
         * Serves WebSocket upgrades at {@code path} with {@code endpoint}. When the client offers
         * subprotocols, the first it offers that is in {@code subprotocols} is chosen; with none in
         * common the handshake succeeds without one (the client decides whether to go on).
         *
         * @throws IllegalArgumentException when the path does not start with '/' or is taken
         */
        public Builder endpoint(String path, WebSocketEndpoint endpoint, String... subprotocols) {
            checkPath(path);
            endpoints.put(path, new ServerRoutes.Route(Objects.requireNonNull(endpoint, "endpoint"), List.of(subprotocols)));
            return this;
        }

        /**
         * Serves {@code body} for GET and HEAD of exactly {@code path}. The bytes are kept; the
         * caller must not change them afterwards.
         *
         * @throws IllegalArgumentException when the path does not start with '/' or is taken
         */
        public Builder page(String path, String contentType, byte[] body) {
            checkPath(path);
            pages.put(path, new ServerRoutes.Page(Objects.requireNonNull(contentType, "contentType"), body.clone()));
            return this;
        }

        /**
         * Decides from the {@code Origin} header (null when the request has none) whether to accept
         * an upgrade, instead of the default same-origin check; refused ones are answered 403.
         * Called on the service threads, possibly several at once: keep it quick and thread-safe.
         * Accept null (no {@code Origin}: not a browser) unless only browsers may connect.
         */
        public Builder originCheck(Predicate<String> check) {
            this.originCheck = OriginCheck.of(Objects.requireNonNull(check, "check"));
            return this;
        }

        /**
         * Accepts upgrades from every origin: for a server that serves no browser, or protects itself
         * otherwise (a token in the request, say). Without it, an upgrade whose {@code Origin} is not
         * the server itself is refused (see {@link WebSocketServer}).
         */
        public Builder allowAnyOrigin() {
            this.originCheck = OriginCheck.ANY;
            return this;
        }

        /** The limits and timeouts to apply. */
        public Builder config(WebSocketConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** The server, an immutable handler that may serve any number of listeners. */
        public WebSocketServer build() {
            return new WebSocketServer(new ServerRoutes(endpoints, pages, originCheck), config);
        }

        private void checkPath(String path) {
            if (path == null || !path.startsWith("/")) {
                throw new IllegalArgumentException("a path must start with '/', got " + path);
            }
            if (endpoints.containsKey(path) || pages.containsKey(path)) {
                throw new IllegalArgumentException("path " + path + " already has an endpoint or a page");
            }
        }
    }
}
