package io.guestloop.websocket.internal;

import io.guestloop.Connection;
import io.guestloop.ConnectionHandler;
import io.guestloop.Timer;
import io.guestloop.websocket.CloseCode;
import io.guestloop.websocket.WebSocket;
import io.guestloop.websocket.WebSocketConfig;
import io.guestloop.websocket.WebSocketEndpoint;
import io.guestloop.websocket.WebSocketException;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The client side of one connection: sends the upgrade request when connected, checks the answer,
 * then passes every event to its {@link Session}. A handshake that fails, times out or loses its
 * connection completes the future exceptionally with a {@link WebSocketException}; the endpoint
 * hears nothing of a connection that never opened.
 *
 * <p><b>Threading:</b> the connection's service thread only.
 */
public final class ClientConnection implements ConnectionHandler {

    private final String hostHeader;
    private final String target;
    private final String origin;
    private final WebSocketEndpoint endpoint;
    private final WebSocketConfig config;
    private final ClientHandshake handshake;
    private final HttpResponseHead response;
    private final CompletableFuture<WebSocket> opened = new CompletableFuture<>();
    private Session session;
    private Timer timer;

    public ClientConnection(String hostHeader, String target, String origin, List<String> subprotocols,
                            WebSocketEndpoint endpoint, WebSocketConfig config) {
        this.hostHeader = hostHeader;
        this.target = target;
        this.origin = origin;
        this.endpoint = endpoint;
        this.config = config;
        this.handshake = new ClientHandshake(subprotocols, config.perMessageDeflate());
        this.response = new HttpResponseHead(config.maxHandshakeSize());
    }

    /** Completes on the service thread with the open socket, or with the handshake's failure. */
    public CompletableFuture<WebSocket> opened() {
        return opened;
    }

    @Override
    public void onOpen(Connection connection) {
        timer = connection.serviceThread().schedule(config.handshakeTimeout(),
                () -> fail(connection, new WebSocketException(CloseCode.ABNORMAL_CLOSURE, 0,
                        "no handshake answer within " + config.handshakeTimeout(), null)));
        connection.write(handshake.request(hostHeader, target, origin));
    }

    @Override
    public void onData(Connection connection, ByteBuffer data) {
        if (session != null) {
            session.onData(data);
            return;
        }
        String subprotocol;
        try {
            if (!response.feed(data)) {
                return;
            }
            subprotocol = handshake.verify(response);
        } catch (MalformedHttpException e) {
            fail(connection, new WebSocketException(CloseCode.ABNORMAL_CLOSURE, e.status(),
                    "WebSocket handshake with " + hostHeader + target + " failed: " + e.getMessage(), null));
            return;
        }
        timer.cancel();
        timer = null;
        session = new Session(connection, false, endpoint, config, subprotocol, target, handshake.deflate());
        opened.complete(session);
        session.start(data);
    }

    @Override
    public void onWritabilityChanged(Connection connection, boolean writable) {
        if (session != null) {
            session.onWritabilityChanged(writable);
        }
    }

    /** A polite shutdown of the client's context: an open session closes with 1001 (going away). */
    @Override
    public void onShutdown(Connection connection) {
        if (session != null) {
            session.onShutdown();
        } else {
            connection.close(); // no handshake answer yet: there is nothing to say goodbye to
        }
    }

    @Override
    public void onClosed(Connection connection, Throwable cause) {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        if (session != null) {
            session.onClosed(cause);
        } else {
            opened.completeExceptionally(new WebSocketException(CloseCode.ABNORMAL_CLOSURE, 0,
                    "connection to " + hostHeader + " closed before the WebSocket handshake completed"
                            + (cause != null ? ": " + cause : ""), cause));
        }
    }

    private void fail(Connection connection, WebSocketException e) {
        opened.completeExceptionally(e);
        connection.close();
    }
}
