package io.guestloop.websocket.internal;

import io.guestloop.Connection;
import io.guestloop.Timer;
import io.guestloop.websocket.WebSocketConfig;

import java.nio.ByteBuffer;

/**
 * The server side of a connection until its opening handshake is done: reads the request head,
 * answers a plain request from the static pages (404 otherwise), refuses a bad upgrade with the
 * fitting status (400, 403, 404, 426) and, for a good one, sends 101 (with the permessage-deflate
 * offer it accepts, if any: {@link DeflateNegotiation}) and hands the connection to a
 * {@link Session}. After a refusal it reads and drops what the client still sends until the client
 * closes or the close timeout ends it, so the answer is not lost to a reset.
 *
 * <p><b>Threading:</b> the connection's service thread only.
 */
public final class ServerHandshake implements ConnectionState {

    private final Connection connection;
    private final ServerRoutes routes;
    private final WebSocketConfig config;
    private final HandshakeRequest request;
    private Timer timer;
    private boolean answered;

    public ServerHandshake(Connection connection, ServerRoutes routes, WebSocketConfig config) {
        this.connection = connection;
        this.routes = routes;
        this.config = config;
        this.request = new HandshakeRequest(config.maxHandshakeSize());
        this.timer = connection.serviceThread().schedule(config.handshakeTimeout(), connection::close);
    }

    @Override
    public void onData(ByteBuffer data) {
        if (answered) {
            data.position(data.limit()); // draining after a refusal
            return;
        }
        try {
            if (!request.feed(data)) {
                return;
            }
        } catch (MalformedHttpException e) {
            refuse(HttpResponses.error(e.status(), e.getMessage()));
            return;
        }
        timer.cancel();
        timer = null;
        String upgrade = request.header("upgrade");
        // A page asked for with an upgrade we do not speak (the JDK HttpClient offers h2c by
        // default) is served as a page: a server may ignore an Upgrade it does not support.
        if (upgrade == null || !HttpHeadParser.containsToken(upgrade, "websocket") && routes.pages().containsKey(request.path())) {
            answerPlainRequest();
        } else {
            upgrade(upgrade, data);
        }
    }

    private void answerPlainRequest() {
        boolean head = request.method().equals("HEAD");
        ServerRoutes.Page page = routes.pages().get(request.path());
        if (page == null) {
            refuse(HttpResponses.error(404, "nothing at " + HandshakeRequest.abbreviate(request.path())));
        } else if (!head && !request.method().equals("GET")) {
            refuse(HttpResponses.error(405, "only GET and HEAD are served here", "Allow: GET, HEAD"));
        } else {
            answered = true;
            connection.write(HttpResponses.ok(page.contentType(), page.body(), !head));
            connection.closeAfterFlush();
        }
    }

    private void upgrade(String upgrade, ByteBuffer rest) {
        if (!HttpHeadParser.containsToken(upgrade, "websocket")) {
            refuse(HttpResponses.error(400, "expected 'Upgrade: websocket', got '" + HandshakeRequest.abbreviate(upgrade) + "'"));
            return;
        }
        if (!request.method().equals("GET") || request.minorVersion() < 1) {
            refuse(HttpResponses.error(400, "a WebSocket upgrade must be a GET over HTTP/1.1"));
            return;
        }
        if (request.header("host") == null) {
            refuse(HttpResponses.error(400, "the upgrade request has no Host header"));
            return;
        }
        if (!HttpHeadParser.containsToken(request.header("connection"), "upgrade")) {
            refuse(HttpResponses.error(400, "expected 'Connection: Upgrade', got '" + request.header("connection") + "'"));
            return;
        }
        if (!"13".equals(request.header("sec-websocket-version"))) {
            refuse(HttpResponses.error(426, "this server speaks WebSocket version 13 only, the request asked for "
                    + request.header("sec-websocket-version"), "Sec-WebSocket-Version: 13"));
            return;
        }
        String key = request.header("sec-websocket-key");
        if (!HandshakeKeys.isValidKey(key)) {
            refuse(HttpResponses.error(400, "Sec-WebSocket-Key must be base64 of 16 bytes, got '" + key + "'"));
            return;
        }
        ServerRoutes.Route route = routes.endpoints().get(request.path());
        if (route == null) {
            refuse(HttpResponses.error(404, "no WebSocket endpoint at " + HandshakeRequest.abbreviate(request.path())));
            return;
        }
        if (!routes.originCheck().allows(request.header("origin"), request.header("host"))) {
            refuse(HttpResponses.error(403, "origin " + HandshakeRequest.abbreviate(request.header("origin"))
                    + " is not allowed to open a WebSocket here"));
            return;
        }
        String subprotocol = chooseSubprotocol(route);
        PerMessageDeflate deflate = DeflateNegotiation.accept(request.header("sec-websocket-extensions"), config.perMessageDeflate());
        answered = true;
        if (!connection.write(HttpResponses.switchingProtocols(HandshakeKeys.accept(key), subprotocol,
                deflate == null ? null : deflate.header()))) {
            connection.close();
            return;
        }
        Session session = new Session(connection, true, route.endpoint(), config, subprotocol, request.target(), deflate);
        connection.attach(session);
        session.start(rest);
    }

    /** The first subprotocol the client offers that the endpoint speaks, or null. */
    private String chooseSubprotocol(ServerRoutes.Route route) {
        String offered = request.header("sec-websocket-protocol");
        if (offered == null || route.subprotocols().isEmpty()) {
            return null;
        }
        for (String part : offered.split(",")) {
            String name = part.strip();
            if (route.subprotocols().contains(name)) {
                return name;
            }
        }
        return null;
    }

    private void refuse(ByteBuffer answer) {
        answered = true;
        if (timer != null) {
            timer.cancel();
        }
        connection.write(answer);
        timer = connection.serviceThread().schedule(config.closeTimeout(), connection::close);
    }

    /** No session yet: nothing to say goodbye with; what was queued (a response) still leaves. */
    @Override
    public void onShutdown() {
        connection.closeAfterFlush();
    }

    @Override
    public void onClosed(Throwable cause) {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
