package io.guestloop.websocket;

import java.nio.ByteBuffer;

/**
 * What an application does with the events of its WebSocket connections, on the server (routed by
 * request target, see {@link WebSocketServer}) and on the client ({@link WebSocketClient}). Every
 * method has a default: an empty one, except {@link #onError}, which logs.
 *
 * <p>Order: {@link #onOpen} once, then messages, then exactly one {@link #onClose}. An
 * {@link #onError} may come before {@code onClose}. A message arrives whole ({@link #onText},
 * {@link #onBinary}), assembled up to {@link WebSocketConfig#maxMessageSize}, unless the endpoint
 * {@linkplain #streamsMessages() streams}: then it arrives in parts through {@link #onMessagePart}
 * and nothing is assembled. Text has been checked to be valid UTF-8.
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

    /** A whole text message arrived (unless the endpoint {@linkplain #receivesTextAsBytes() takes text as bytes}). */
    default void onText(WebSocket socket, String text) {
    }

    /**
     * True to take whole text messages as their UTF-8 bytes through {@link #onTextBytes} instead of
     * as a {@code String} through {@link #onText}: no {@code String} is built, and a message that
     * arrived in one read is not even copied. Asked once per connection, when the handshake
     * completes; ignored when the endpoint {@linkplain #streamsMessages() streams}. The default is false.
     */
    default boolean receivesTextAsBytes() {
        return false;
    }

    /**
     * A whole text message arrived, for an endpoint that {@linkplain #receivesTextAsBytes() takes
     * text as bytes}: {@code utf8} holds the message between position and limit, already checked to
     * be valid UTF-8. It is a read-only view valid only during this call (it may lie in the read
     * buffer the next bytes arrive in): copy what you keep. Passing it to
     * {@link WebSocket#sendText(ByteBuffer)} echoes it without decoding.
     */
    default void onTextBytes(WebSocket socket, ByteBuffer utf8) {
    }

    /**
     * A whole binary message arrived. {@code data} is a read-only view valid only during this call
     * (it may lie in the read buffer the next bytes arrive in, or in a buffer reused for the next
     * message): copy what you keep. A message that arrived in one read is handed over uncopied.
     */
    default void onBinary(WebSocket socket, ByteBuffer data) {
    }

    /**
     * True to take every message in parts, as its bytes arrive, through {@link #onMessagePart}
     * instead of {@link #onText}/{@link #onBinary}: the stack then assembles nothing, so the memory a
     * large message costs is what the endpoint chooses to keep. Asked once per connection, when the
     * handshake completes. The default is false.
     */
    default boolean streamsMessages() {
        return false;
    }

    /**
     * The next part of an incoming message, for an endpoint that {@linkplain #streamsMessages()
     * streams}. Parts follow the bytes as they were read, not the peer's frames: a frame may come in
     * several parts. Every message ends with exactly one call with {@code last == true}, whose
     * {@code part} may be empty (a message is only known to be complete, and valid, after its last
     * byte). {@code part} is valid only during the call: copy what you keep. For text, the bytes are
     * UTF-8 valid so far, but one part may end inside a character that the next part completes. An
     * error found later in the message (bad UTF-8, a size limit) still closes the connection, after
     * the parts before it were delivered, and no {@code last} part follows. Pausing
     * ({@link WebSocket#pause()}) from here holds back the rest of the message.
     *
     * @param text true for a text message, false for binary
     * @param last true for the call that ends the message
     */
    default void onMessagePart(WebSocket socket, ByteBuffer part, boolean text, boolean last) {
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
