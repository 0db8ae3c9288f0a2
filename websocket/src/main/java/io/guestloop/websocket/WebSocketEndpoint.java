package io.guestloop.websocket;

import java.nio.ByteBuffer;

/**
 * What an application does with the events of its WebSocket connections, on the server (routed by
 * request target, see {@link WebSocketServer}) and on the client ({@link WebSocketClient}). Every
 * method has a default: an empty one, except {@link #onError}, which logs.
 *
 * <p>Order: {@link #onOpen} once, then messages, then exactly one {@link #onClose}. An
 * {@link #onError} may come before {@code onClose}. A message arrives whole; a text message has
 * been checked to be valid UTF-8.
 *
 * <p><b>Threading:</b> every method is called on the connection's service thread, one at a time,
 * so an endpoint needs no locks for per-connection state; an endpoint object shared by connections
 * on several service threads must guard state it shares between them. An exception thrown here is
 * passed to {@link #onError} and closes the connection with 1011.
 */
public interface WebSocketEndpoint {

    /** The opening handshake is complete; the socket may send from now on. */
    default void onOpen(WebSocket socket) {
    }

    /** A whole text message arrived. */
    default void onText(WebSocket socket, String text) {
    }

    /**
     * A whole binary message arrived. {@code data} is valid only during this call (the buffer is
     * reused for the next message): copy what you keep.
     */
    default void onBinary(WebSocket socket, ByteBuffer data) {
    }

    /** A pong arrived (an answer to {@link WebSocket#ping}, or unsolicited); usually ignored. */
    default void onPong(WebSocket socket, ByteBuffer payload) {
    }

    /**
     * The send queue crossed the high-water mark ({@code writable == false}: sends are refused until
     * further notice) or drained to the low-water mark ({@code writable == true}: send again).
     */
    default void onWritabilityChanged(WebSocket socket, boolean writable) {
    }

    /**
     * The connection is closed, its socket released; called exactly once.
     *
     * @param code   the peer's close code, the code of a failure, or
     *               {@link CloseCode#ABNORMAL_CLOSURE} when the connection ended without a close
     *               handshake
     * @param reason the reason that came with it, "" when none
     */
    default void onClose(WebSocket socket, int code, String reason) {
    }

    /**
     * Something went wrong: a protocol violation by the peer ({@link WebSocketException} with the
     * close code sent), an I/O error, or an exception thrown by this endpoint. {@link #onClose}
     * follows.
     */
    default void onError(WebSocket socket, Throwable error) {
        System.getLogger(WebSocketEndpoint.class.getName()).log(System.Logger.Level.WARNING,
                "WebSocket " + socket + " failed", error);
    }
}
