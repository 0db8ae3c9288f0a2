package io.guestloop.websocket.internal;

import io.guestloop.websocket.WebSocket;
import io.guestloop.websocket.WebSocketEndpoint;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Hands the data messages a {@link FrameParser} reports to the endpoint, in the form it asked for:
 * whole, from a {@link MessageAssembler} ({@link WebSocketEndpoint#onText} or, for an endpoint that
 * {@linkplain WebSocketEndpoint#receivesTextAsBytes() takes text as bytes},
 * {@link WebSocketEndpoint#onTextBytes}; {@link WebSocketEndpoint#onBinary}), or, for an endpoint that
 * {@linkplain WebSocketEndpoint#streamsMessages() streams}, part by part as the bytes arrive
 * ({@link WebSocketEndpoint#onMessagePart}), with nothing assembled: then what a connection holds
 * for an incoming message is whatever the endpoint keeps.
 *
 * <p><b>Threading:</b> not thread-safe; one per session, used on its connection's service thread.
 */
final class MessageDelivery {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final WebSocket socket;
    private final WebSocketEndpoint endpoint;
    private final boolean streaming;
    private final boolean textAsBytes;
    private final Consumer<Throwable> endpointFailed;
    private final MessageAssembler message = new MessageAssembler();
    private boolean text;
    /**
     * The view {@code onTextBytes} holds while it runs, with the position and limit it was handed
     * with; null outside that call. The bytes are checked UTF-8 and, the view being read-only and
     * the buffer behind it untouched until the call returns, stay so.
     */
    private ByteBuffer textInHand;
    private int textStart;
    private int textEnd;

    /** @param endpointFailed told of an exception thrown by the endpoint */
    MessageDelivery(WebSocket socket, WebSocketEndpoint endpoint, Consumer<Throwable> endpointFailed) {
        this.socket = socket;
        this.endpoint = endpoint;
        this.streaming = endpoint.streamsMessages();
        this.textAsBytes = !streaming && endpoint.receivesTextAsBytes();
        this.endpointFailed = endpointFailed;
    }

    /** See {@link FrameListener#onMessageStart}. */
    void start(boolean isText) {
        text = isText;
        message.reset();
    }

    /** See {@link FrameListener#onMessagePayload}. */
    void payload(ByteBuffer payload) {
        if (!streaming) {
            message.append(payload);
            return;
        }
        try {
            endpoint.onMessagePart(socket, payload, text, false);
        } catch (Throwable t) {
            endpointFailed.accept(t);
        }
    }

    /** See {@link FrameListener#onFeedEnd}: a message still open copies what it left in the fed buffer. */
    void feedEnded() {
        if (!streaming) {
            message.detach();
        }
    }

    private void deliverTextBytes(ByteBuffer utf8) {
        textInHand = utf8;
        textStart = utf8.position();
        textEnd = utf8.limit();
        try {
            endpoint.onTextBytes(socket, utf8);
        } finally {
            textInHand = null;
        }
    }

    /**
     * True when {@code utf8} is the very view {@code onTextBytes} is being handed, over the whole
     * message it was handed with: those bytes were checked as UTF-8 on the way in, so an echo need
     * not check them again. Any other buffer, or that view moved, is checked by the caller.
     */
    boolean isCheckedText(ByteBuffer utf8) {
        return utf8 == textInHand && utf8.position() == textStart && utf8.limit() == textEnd;
    }

    /**
     * The buffer the connection read {@code payload} into, when {@code payload} is (a range of) the
     * message in hand, handed over uncopied; else null. See {@link MessageAssembler#sourceUnder}.
     */
    ByteBuffer inputUnder(ByteBuffer payload) {
        return streaming ? null : message.sourceUnder(payload);
    }

    /** See {@link FrameListener#onMessageEnd}. */
    void end() {
        try {
            if (streaming) {
                endpoint.onMessagePart(socket, EMPTY.duplicate(), text, true);
            } else if (!text) {
                endpoint.onBinary(socket, message.message());
            } else if (textAsBytes) {
                deliverTextBytes(message.message());
            } else {
                endpoint.onText(socket, message.text());
            }
        } catch (Throwable t) {
            endpointFailed.accept(t);
        } finally {
            message.reset();
        }
    }
}
