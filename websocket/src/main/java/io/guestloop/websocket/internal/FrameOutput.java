package io.guestloop.websocket.internal;

import io.guestloop.Connection;

import java.nio.ByteBuffer;

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

    /** A client's (masked) frame of up to 64 KiB of payload plus its longest header (14 bytes) is built without allocating. */
    private static final int SCRATCH_SIZE = 64 * 1024 + 14;
    /** A server's frame header, sent with the caller's payload in one gathered write. */
    private static final ThreadLocal<ByteBuffer> HEADER = ThreadLocal.withInitial(() -> ByteBuffer.allocate(14));
    private static final ThreadLocal<ByteBuffer> SCRATCH = ThreadLocal.withInitial(() -> ByteBuffer.allocate(SCRATCH_SIZE));

    private final Connection connection;
    private final FrameWriter writer;
    private byte[] pendingPong;
    private ByteBuffer pendingClose;
    private boolean closeWritten;
    private Runnable afterClose;
    /** The opcode of an outgoing fragmented message in progress, or -1. */
    private int sendingFragmented = -1;

    FrameOutput(Connection connection, FrameWriter writer) {
        this.connection = connection;
        this.writer = writer;
    }

    /** Writes one whole frame or nothing; on refusal {@code payload} is left as it was. */
    boolean send(boolean fin, int opcode, ByteBuffer payload) {
        if (!connection.isWritable()) {
            return false;
        }
        if (!writer.masks()) {
            // The server role: the header and the caller's payload leave together, the payload uncopied.
            ByteBuffer header = HEADER.get().clear();
            writer.writeHeader(header, fin, opcode, payload.remaining());
            return connection.write(header.flip(), payload);
        }
        int start = payload.position();
        int size = writer.frameSize(payload.remaining());
        ByteBuffer frame = size <= SCRATCH_SIZE ? SCRATCH.get().clear() : ByteBuffer.allocate(size);
        writer.write(frame, fin, opcode, payload);
        frame.flip();
        if (!connection.write(frame)) {
            payload.position(start);
            return false;
        }
        return true;
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
        if (!send(last, sendingFragmented < 0 ? opcode : Opcode.CONTINUATION, part)) {
            return false;
        }
        sendingFragmented = last ? -1 : opcode & 0x0F; // without the RSV1 of a compressed first fragment
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
