package io.guestloop.websocket.internal;

import io.guestloop.websocket.PerMessageDeflateConfig;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The client half of the opening handshake: builds the upgrade request with a fresh key and checks
 * the server's answer (RFC 6455 section 4.1: status 101, {@code Upgrade} and {@code Connection}
 * tokens, the accept key, a subprotocol only from those offered, and an extension only as
 * {@link DeflateNegotiation#verify} allows: none when permessage-deflate was not offered).
 *
 * <p><b>Threading:</b> not thread-safe; one instance per connection, used on its service thread.
 */
public final class ClientHandshake {

    private final String key;
    private final List<String> subprotocols;
    private final PerMessageDeflateConfig deflateConfig;
    private PerMessageDeflate deflate;

    /**
     * @param subprotocols the subprotocols offered, in order of preference; may be empty
     * @param deflate      whether and how to offer permessage-deflate
     */
    public ClientHandshake(List<String> subprotocols, PerMessageDeflateConfig deflate) {
        this(HandshakeKeys.newKey(), subprotocols, deflate);
    }

    /** Offers no extension, with a given key (for tests). */
    public ClientHandshake(String key, List<String> subprotocols) {
        this(key, subprotocols, PerMessageDeflateConfig.off());
    }

    /** As {@link #ClientHandshake(List, PerMessageDeflateConfig)} with a given key (for tests). */
    public ClientHandshake(String key, List<String> subprotocols, PerMessageDeflateConfig deflate) {
        this.key = key;
        this.subprotocols = List.copyOf(subprotocols);
        this.deflateConfig = deflate;
    }

    /** What {@link #verify} found the server agreed to for permessage-deflate, or null for nothing. */
    public PerMessageDeflate deflate() {
        return deflate;
    }

    /** The key sent in {@code Sec-WebSocket-Key}. */
    public String key() {
        return key;
    }

    /**
     * The request bytes.
     *
     * @param hostHeader the {@code Host} value ({@code host} or {@code host:port})
     * @param target     the origin-form target, {@code /path?query}
     * @param origin     the {@code Origin} header, or null to send none
     */
    public ByteBuffer request(String hostHeader, String target, String origin) {
        StringBuilder sb = new StringBuilder(256)
                .append("GET ").append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostHeader).append("\r\n")
                .append("Upgrade: websocket\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(key).append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        if (!subprotocols.isEmpty()) {
            sb.append("Sec-WebSocket-Protocol: ").append(String.join(", ", subprotocols)).append("\r\n");
        }
        if (origin != null) {
            sb.append("Origin: ").append(origin).append("\r\n");
        }
        String offer = DeflateNegotiation.offer(deflateConfig);
        if (offer != null) {
            sb.append("Sec-WebSocket-Extensions: ").append(offer).append("\r\n");
        }
        return ByteBuffer.wrap(sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Checks the server's answer.
     *
     * @return the subprotocol the server chose, or null for none
     * @throws MalformedHttpException saying what was expected and what was found
     */
    public String verify(HttpResponseHead response) throws MalformedHttpException {
        if (response.status() != 101) {
            throw new MalformedHttpException(response.status(), "expected status 101 Switching Protocols, got "
                    + response.status() + " " + response.reason());
        }
        if (!HttpHeadParser.containsToken(response.header("upgrade"), "websocket")) {
            throw new MalformedHttpException("expected 'Upgrade: websocket', got " + response.header("upgrade"));
        }
        if (!HttpHeadParser.containsToken(response.header("connection"), "upgrade")) {
            throw new MalformedHttpException("expected 'Connection: Upgrade', got " + response.header("connection"));
        }
        String expected = HandshakeKeys.accept(key);
        String accept = response.header("sec-websocket-accept");
        if (!expected.equals(accept)) {
            throw new MalformedHttpException("expected Sec-WebSocket-Accept " + expected + ", got " + accept);
        }
        deflate = DeflateNegotiation.verify(response.header("sec-websocket-extensions"), deflateConfig);
        String chosen = response.header("sec-websocket-protocol");
        if (chosen != null && !subprotocols.contains(chosen)) {
            throw new MalformedHttpException("server chose subprotocol '" + chosen + "', not one of those offered " + subprotocols);
        }
        return chosen;
    }
}
