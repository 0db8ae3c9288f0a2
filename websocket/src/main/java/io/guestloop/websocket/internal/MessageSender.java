package io.guestloop.websocket.internal;

import io.guestloop.Connection;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What a {@link Session}'s endpoint sends: whole messages, fragments and pings. It refuses what
 * breaks the protocol (a whole message inside a fragmented one, fragments of two kinds mixed, text
 * bytes that are not UTF-8, a ping payload over 125 bytes) with an exception, refuses anything
 * once the session is no longer open or while the write queue is full by returning false, and
 * picks the path: through the {@link MessageDeflater} for data, straight to the
 * {@link FrameOutput} for pings and for text encoded into the frame.
 *
 * <p><b>Threading:</b> not thread-safe; one per session, used on its connection's service thread
 * (the session checks the thread first).
 */
final class MessageSender {

    private final Connection connection;
    private final FrameOutput out;
    private final MessageDeflater deflater;
    private final MessageDelivery messages;
    private final CloseHandshake close;

    /** @param messages tells text bytes that were checked on the way in from others */
    MessageSender(Connection connection, FrameOutput out, MessageDeflater deflater, MessageDelivery messages,
                  CloseHandshake close) {
        this.connection = connection;
        this.out = out;
        this.deflater = deflater;
        this.messages = messages;
        this.close = close;
    }

    /** True while a message may go out: the session is open and the write queue below its high-water mark. */
    boolean canSend() {
        return close.isOpen() && connection.isWritable();
    }

    /** See {@link io.guestloop.websocket.WebSocket#sendText(CharSequence)}. */
    boolean sendText(CharSequence text) {
        out.checkNoFragmentedMessage();
        if (!canSend()) {
            return false;
        }
        // Compressed text needs its bytes first; plain text is encoded straight into the frame.
        return deflater.compresses(text.length())
                ? deflater.send(Opcode.TEXT, ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)))
                : out.sendText(true, Opcode.TEXT, text);
    }

    /** See {@link io.guestloop.websocket.WebSocket#sendText(ByteBuffer)}. */
    boolean sendText(ByteBuffer utf8) {
        out.checkNoFragmentedMessage();
        if (!messages.isCheckedText(utf8)) {
            out.checkUtf8(utf8); // the text an endpoint is handed as bytes was checked on the way in
        }
        return canSend() && deflater.send(Opcode.TEXT, utf8);
    }

    /** See {@link io.guestloop.websocket.WebSocket#sendBinary(ByteBuffer)}. */
    boolean sendBinary(ByteBuffer data) {
        out.checkNoFragmentedMessage();
        return canSend() && deflater.send(Opcode.BINARY, data);
    }

    /** See {@link io.guestloop.websocket.WebSocket#sendTextFragment(CharSequence, boolean)}. */
    boolean sendTextFragment(CharSequence part, boolean last) {
        out.checkFragmentOf(Opcode.TEXT);
        if (!canSend()) {
            return false;
        }
        return deflater.isNegotiated()
                ? deflater.sendFragment(Opcode.TEXT, ByteBuffer.wrap(part.toString().getBytes(StandardCharsets.UTF_8)), last)
                : out.sendTextFragment(part, last);
    }

    /** See {@link io.guestloop.websocket.WebSocket#sendBinaryFragment(ByteBuffer, boolean)}. */
    boolean sendBinaryFragment(ByteBuffer part, boolean last) {
        out.checkFragmentOf(Opcode.BINARY);
        return canSend() && deflater.sendFragment(Opcode.BINARY, part, last);
    }

    /** See {@link io.guestloop.websocket.WebSocket#ping(ByteBuffer)}. */
    boolean ping(ByteBuffer payload) {
        if (payload.remaining() > 125) {
            throw new IllegalArgumentException("a ping payload holds at most 125 bytes, got " + payload.remaining());
        }
        return canSend() && out.send(true, Opcode.PING, payload);
    }
}
