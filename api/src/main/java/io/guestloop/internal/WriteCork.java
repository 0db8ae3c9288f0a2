package io.guestloop.internal;

import java.nio.ByteBuffer;

/**
 * Collects what a connection writes to itself while its {@code onData} runs, so that a handler that
 * answers one read with several writes (a WebSocket echo of several frames, a header then a body)
 * costs one socket write when {@code onData} returns instead of one per call — as native Netty
 * flushes once per read batch. One per service thread: only one {@code onData} runs at a time.
 *
 * <p><b>Threading:</b> not thread-safe; used on its service thread only.
 */
final class WriteCork {

    /** What a cork holds at most; a write that does not fit goes out (or queues) the usual way. */
    static final int CAPACITY = 64 * 1024;

    private ByteBuffer buffer;
    private CoreConnection owner;
    /** Reused by {@link #collectedThen}: a gathering write allocates nothing. */
    private final ByteBuffer[] pair = new ByteBuffer[2];

    /** {@code connection}'s onData is about to run: its own writes collect here from now on. */
    void open(CoreConnection connection) {
        owner = connection;
    }

    /** onData returned: later writes go out directly again. What was collected stays until taken. */
    void close() {
        owner = null;
    }

    boolean isOwner(CoreConnection connection) {
        return owner == connection;
    }

    /** Takes all of {@code data} if it fits, consuming it; false (nothing taken) otherwise. */
    boolean offer(ByteBuffer data) {
        ByteBuffer b = buffer;
        if (b == null) {
            b = buffer = ByteBuffer.allocateDirect(CAPACITY);
        }
        if (data.remaining() > b.remaining()) {
            return false;
        }
        b.put(data);
        return true;
    }

    boolean isEmpty() {
        return buffer == null || buffer.position() == 0;
    }

    /** The collected bytes, ready to be written; {@link #reset()} once they are written or copied. */
    ByteBuffer collected() {
        return buffer.flip();
    }

    /**
     * The collected bytes followed by {@code data}, for one gathering write; {@link #reset()} once
     * the first has been written or copied. The array is reused: do not keep it.
     */
    ByteBuffer[] collectedThen(ByteBuffer data) {
        pair[0] = buffer.flip();
        pair[1] = data;
        return pair;
    }

    /** Empties the cork. */
    void reset() {
        if (buffer != null) {
            buffer.clear();
        }
        pair[1] = null; // the caller's buffer is not ours to keep
    }
}
