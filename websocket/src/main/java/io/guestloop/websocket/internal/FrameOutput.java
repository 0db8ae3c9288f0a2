package io.guestloop.websocket.internal;

import io.guestloop.Connection;

import java.nio.ByteBuffer;
import java.util.function.UnaryOperator;

/**
 * The sending half of a {@link Session}: writes whole frames or nothing, and keeps the two frames
 * that must never be lost to backpressure. A pong (only the latest is owed, RFC 6455 section 5.5.3)
 * and the close frame (section 5.5.1) are held when the write queue is full and written as soon as
 * it drains; what the session does once its close frame is out (end the TCP connection, say) waits
 * for that frame, so a full queue can no longer swallow the close.
 *
 * <p><b>Threading:</b> not thread-safe; one per session, used on its connection's service thread.
 */
final class FrameOutput {

    /** Room kept before an encoded text payload for the longest header (10 bytes, plus a 4-byte key when masked). */
    private static final int HEADER_ROOM = 14;
    /** The frame buffer is kept between sends up to this size; a larger frame gets one of its own. */
    private static final int RETAINED_FRAME = 256 * 1024;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * What frames are built in, one set per service thread (every session of the thread shares it:
     * only one sends at a time, and every send is done with it before it returns).
     */
    private static final class Scratch {
        /** A server's frame header, sent with the caller's payload in one gathered write; direct, so the JDK copies nothing. */
        final ByteBuffer header = ByteBuffer.allocateDirect(HEADER_ROOM);
        /** The header and the payload, for that write; emptied after each use. */
        final ByteBuffer[] pair = new ByteBuffer[2];
        final TextEncoder text = new TextEncoder();
        /** A whole frame: a masked payload copy, or encoded text. */
        private ByteBuffer frame = ByteBuffer.allocate(0);

        /** A cleared heap buffer of at least {@code size} bytes. */
        ByteBuffer frame(long size) {
            if (size > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("a frame of " + size + " bytes cannot be built: split the message");
            }
            if (frame.capacity() >= size) {
                return frame.clear();
            }
            ByteBuffer bigger = ByteBuffer.allocate((int) Math.max(size, 4096));
            if (size <= RETAINED_FRAME) {
                frame = bigger;
            }
            return bigger;
        }
    }

    private final Connection connection;
    private final FrameWriter writer;
    /** The read buffer under a payload that is a view of the message in hand, or null (see {@link MessageDelivery#inputUnder}). */
    private final UnaryOperator<ByteBuffer> inputUnder;
    private byte[] pendingPong;
    private ByteBuffer pendingClose;
    private boolean closeWritten;
    private Runnable afterClose;
    /** The opcode of an outgoing fragmented message in progress, or -1. */
    private int sendingFragmented = -1;
    /** Checks text sent as bytes; made on first use. */
    private Utf8Validator outgoingText;

    /** @param inputUnder the buffer a payload was read into, when it is a view of the message in hand; else null */
    FrameOutput(Connection connection, FrameWriter writer, UnaryOperator<ByteBuffer> inputUnder) {
        this.connection = connection;
        this.writer = writer;
        this.inputUnder = inputUnder;
    }

    /** Writes one whole frame or nothing; on refusal {@code payload} is left as it was. */
    boolean send(boolean fin, int opcode, ByteBuffer payload) {
        if (!connection.isWritable()) {
            return false;
        }
        Scratch scratch = SCRATCH.get();
        if (!writer.masks()) {
            // The server role: the header and the caller's payload leave together, the payload uncopied.
            ByteBuffer header = scratch.header.clear();
            writer.writeHeader(header, fin, opcode, payload.remaining());
            ByteBuffer[] pair = scratch.pair;
            pair[0] = header.flip();
            ByteBuffer input = inputUnder.apply(payload);
            if (input != null) {
                return writeFromInput(pair, payload, input);
            }
            pair[1] = payload;
            try {
                return connection.write(pair);
            } finally {
                pair[0] = pair[1] = null; // the payload is the caller's again
            }
        }
        int start = payload.position();
        ByteBuffer frame = scratch.frame(writer.frameSize(payload.remaining()));
        writer.write(frame, fin, opcode, payload);
        if (!connection.write(frame.flip())) {
            payload.position(start);
            return false;
        }
        return true;
    }

    /**
     * Writes {@code pair[0]} (the header) and {@code payload}, a view of the message in hand, from
     * the read buffer {@code input} it lies in: over the same range, that very buffer lets the
     * connection send the bytes from where they lie rather than copy them (see
     * {@code ConnectionHandler.onData}). The buffer's position and limit are the parser's again after.
     */
    private boolean writeFromInput(ByteBuffer[] pair, ByteBuffer payload, ByteBuffer input) {
        int position = input.position();
        int limit = input.limit();
        input.limit(payload.limit()).position(payload.position());
        pair[1] = input;
        try {
            if (!connection.write(pair)) {
                return false;
            }
            payload.position(payload.limit()); // taken, as a write of the view itself would have taken it
            return true;
        } finally {
            pair[0] = pair[1] = null;
            input.limit(limit).position(position);
        }
    }

    /**
     * Writes {@code text} as one whole frame or nothing, its UTF-8 encoded straight into the frame
     * after room for the header, which is written once the length is known.
     */
    boolean sendText(boolean fin, int opcode, CharSequence text) {
        if (!connection.isWritable()) {
            return false;
        }
        Scratch scratch = SCRATCH.get();
        ByteBuffer frame = scratch.frame(HEADER_ROOM + TextEncoder.maxBytes(text));
        frame.position(HEADER_ROOM);
        scratch.text.encode(text, frame);
        int end = frame.position();
        int start = writer.writeHeaderBefore(frame, HEADER_ROOM, fin, opcode, end - HEADER_ROOM);
        return connection.write(frame.limit(end).position(start));
    }

    /** The opcode of the next fragment of a {@code opcode} message: its own for the first, continuation after. */
    int fragmentOpcode(int opcode) {
        return sendingFragmented < 0 ? opcode : Opcode.CONTINUATION;
    }

    /** A fragment of a {@code opcode} message was sent; {@code last} ended the message. */
    void fragmentSent(int opcode, boolean last) {
        sendingFragmented = last ? -1 : opcode;
    }

    /**
     * Refuses text bytes that are not whole, valid UTF-8: a peer would fail the connection on them.
     *
     * @throws IllegalArgumentException naming the first bad byte
     */
    void checkUtf8(ByteBuffer utf8) {
        if (outgoingText == null) {
            outgoingText = new Utf8Validator();
        }
        outgoingText.reset();
        int bad = outgoingText.feed(utf8, utf8.position(), utf8.limit());
        if (bad >= 0 || !outgoingText.isComplete()) {
            throw new IllegalArgumentException(bad >= 0 ? "text is not valid UTF-8 at byte " + (bad - utf8.position())
                    : "text ends inside a UTF-8 sequence");
        }
    }

    /** Refuses a whole message while a fragmented one is unfinished. */
    void checkNoFragmentedMessage() {
        if (sendingFragmented >= 0) {
            throw new IllegalStateException("a fragmented message is unfinished: send its last fragment before a whole message");
        }
    }

    /** Refuses a fragment of {@code opcode} while a fragmented message of the other kind is unfinished. */
    void checkFragmentOf(int opcode) {
        if (sendingFragmented >= 0 && sendingFragmented != opcode) {
            throw new IllegalStateException("a " + (sendingFragmented == Opcode.TEXT ? "text" : "binary")
                    + " fragmented message is unfinished; finish it with last=true before sending another kind");
        }
    }

    /**
     * Sends the next fragment of a {@code opcode} message, whole or not at all; {@code last} ends it.
     * An RSV1 bit or-ed into {@code opcode} goes out on the first fragment only.
     */
    boolean sendFragment(int opcode, ByteBuffer part, boolean last) {
        if (!send(last, fragmentOpcode(opcode), part)) {
            return false;
        }
        fragmentSent(opcode & 0x0F, last); // without the RSV1 of a compressed first fragment
        return true;
    }

    /** Sends the next fragment of a text message, whole or not at all; {@code last} ends it. */
    boolean sendTextFragment(CharSequence part, boolean last) {
        if (!sendText(last, fragmentOpcode(Opcode.TEXT), part)) {
            return false;
        }
        fragmentSent(Opcode.TEXT, last);
        return true;
    }

    /** Answers a ping now, or holds the answer (replacing an older one) until the queue drains. */
    void pong(ByteBuffer payload) {
        if (send(true, Opcode.PONG, payload)) {
            pendingPong = null; // the newest answer is out; an older one is owed no more
        } else {
            pendingPong = new byte[payload.remaining()];
            payload.get(pendingPong);
        }
    }

    /**
     * Writes the close frame now, or holds it until the queue drains; a pong still held goes first.
     * Called once per session; the session sends nothing after it.
     */
    void close(ByteBuffer payload) {
        pendingClose = payload;
        writable();
    }

    /**
     * Runs {@code action} once the close frame is in the write queue: now when it already is, else
     * when the queue drained enough to take it. Only the last action given is kept.
     */
    void afterCloseFrame(Runnable action) {
        if (closeWritten) {
            action.run();
        } else {
            afterClose = action;
        }
    }

    /** True while the close frame waits for room in the write queue. */
    boolean holdsCloseFrame() {
        return pendingClose != null;
    }

    /** The write queue drained to its low-water mark: what was held goes out, in order. */
    void writable() {
        if (pendingPong != null) {
            if (!send(true, Opcode.PONG, ByteBuffer.wrap(pendingPong))) {
                return;
            }
            pendingPong = null;
        }
        if (pendingClose != null && send(true, Opcode.CLOSE, pendingClose)) {
            pendingClose = null;
            closeWritten();
        }
    }

    private void closeWritten() {
        closeWritten = true;
        Runnable action = afterClose;
        afterClose = null;
        if (action != null) {
            action.run();
        }
    }
}
