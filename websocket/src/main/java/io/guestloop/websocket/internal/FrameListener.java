package io.guestloop.websocket.internal;

import java.nio.ByteBuffer;

/**
 * What a {@link FrameParser} reports. Everything it reports has already passed the protocol checks
 * (fragmentation order, sizes, UTF-8 of text and close reasons), so a listener only acts.
 *
 * <p><b>Threading:</b> called on the thread that feeds the parser, during {@link FrameParser#feed}.
 */
public interface FrameListener {

    /** A new data message begins (its first frame's header passed every check). */
    void onMessageStart(boolean text);

    /**
     * A new data message begins whose first frame has RSV1 set: compressed with permessage-deflate
     * (reported only by a parser that {@linkplain FrameParser#allowCompressedMessages() allows
     * it}). Its payload follows as it is on the wire, compressed, not checked as UTF-8.
     */
    default void onCompressedMessageStart(boolean text) {
        throw new IllegalStateException("a compressed message arrived at a listener that does not inflate");
    }

    /**
     * The next unmasked bytes of the current message, between position and limit, valid only during
     * the call. For text, every byte so far is valid UTF-8 (a code point may still be open).
     * Never called with an empty buffer.
     */
    void onMessagePayload(ByteBuffer payload);

    /** The final fragment of the current message is complete. */
    void onMessageEnd();

    /**
     * {@link FrameParser#feed} is about to return: the buffer it was fed, and so every payload view
     * handed out during it, may be reused by the caller from now on.
     */
    default void onFeedEnd() {
    }

    /** A ping arrived; {@code payload} (0-125 bytes) is valid only during the call. */
    void onPing(ByteBuffer payload);

    /** A pong arrived; {@code payload} (0-125 bytes) is valid only during the call. */
    void onPong(ByteBuffer payload);

    /**
     * A valid close frame arrived; the parser reads nothing after it.
     *
     * @param code   the status code, or 1005 when the frame had none
     * @param reason the reason, "" when none
     */
    void onClose(int code, String reason);

    /**
     * The peer broke the protocol; the parser reads nothing more. The endpoint should send a close
     * frame with {@code closeCode} and drop the connection.
     *
     * @param closeCode 1002, 1007 or 1009
     * @param reason    what was expected and what was found, short enough for a close frame
     */
    void onProtocolError(int closeCode, String reason);
}
