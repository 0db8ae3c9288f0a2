package io.guestloop.internal;

import java.nio.ByteBuffer;

/**
 * Collects what a connection writes to itself while its {@code onData} runs, so that a handler that
 * answers one read with several writes (a WebSocket echo of several frames, a header then a body)
 * costs one socket write when {@code onData} returns instead of one per call — as native Netty
 * flushes once per read batch. One per service thread: only one {@code onData} runs at a time.
 *
 * <p>Small writes are copied into the cork's own buffer. Bytes of the very buffer {@code onData} was
 * handed ({@link #input}), written back in runs of at least {@link #REFERENCE_MIN} bytes, are not
 * copied: the cork notes where they lie and sends them from there, in one gathering write with the
 * copied pieces around them. That buffer is reused by the next read, so a cork that {@linkplain
 * #holdsInput() holds such a piece} must be released before the connection reads again.
 *
 * <p><b>Threading:</b> not thread-safe; used on its service thread only.
 */
final class WriteCork {

    /** What a cork copies at most; a write that does not fit goes out (or queues) the usual way. */
    static final int CAPACITY = 64 * 1024;
    /**
     * The largest write copied into the cork. A larger one (a big message's payload) is not copied:
     * it leaves at once, in one gathering write behind what was corked. Below this size a copy costs
     * less than the socket write it saves: on loopback, 16 KiB echoes measured 14.5 µs of loop CPU
     * per message corked against 18.2 µs written one gathering write each (median of 3 rounds).
     */
    static final int COPY_LIMIT = 32 * 1024;
    /** The shortest run of the input buffer sent from where it lies; a shorter one costs less to copy than an iovec. */
    static final int REFERENCE_MIN = 2 * 1024;
    /** The most pieces one release gathers, well under the kernel's 1,024 iovecs. */
    static final int MAX_PIECES = 64;

    private ByteBuffer buffer;
    private CoreConnection owner;
    /** The buffer the owner's onData is handling, whose bytes may be sent from where they lie; null when none may. */
    private ByteBuffer input;

    /*
     * The pieces, in order, once an input run was taken: each a range of the cork's buffer (copied
     * bytes) or of the input buffer. None while only copies were taken: then the buffer, from 0 to
     * its position, is everything.
     */
    private int pieces;
    private final int[] starts = new int[MAX_PIECES];
    private final int[] ends = new int[MAX_PIECES];
    private final boolean[] inInput = new boolean[MAX_PIECES];
    /** Where in the buffer the copies after the last input piece begin. */
    private int copiedFrom;
    private long referencedBytes;
    /** The input buffer the input pieces lie in (one per release: the cork is released before the next read), or null. */
    private ByteBuffer referenced;

    /** Views of the buffer and of the input, one per piece, made once (per input buffer) and reused. */
    private final ByteBuffer[] bufferViews = new ByteBuffer[MAX_PIECES];
    private final ByteBuffer[] inputViews = new ByteBuffer[MAX_PIECES];
    private ByteBuffer inputViewed;

    /** Reused by {@link #one}: a single-buffer write allocates no array. */
    private final ByteBuffer[] one = new ByteBuffer[1];
    /** Reused by {@link #collect}: a gathering write allocates nothing once it is large enough. */
    private ByteBuffer[] gather = new ByteBuffer[3];

    /** {@code connection}'s onData is about to run: its own writes collect here from now on. */
    void open(CoreConnection connection) {
        owner = connection;
    }

    /** onData returned: later writes go out directly again. What was collected stays until taken. */
    void close() {
        owner = null;
        input = null;
    }

    boolean isOwner(CoreConnection connection) {
        return owner == connection;
    }

    /**
     * The owner's onData is handed {@code data} (null: it is done with it). Writes of that very
     * buffer object may be sent from it until the cork is released.
     */
    void input(ByteBuffer data) {
        input = data;
    }

    /**
     * Takes all of {@code data[0..count)} ({@code total} bytes) if what must be copied is small
     * enough ({@link #COPY_LIMIT}) and fits, consuming it; false, with nothing taken, otherwise.
     */
    boolean offer(ByteBuffer[] data, int count, long total) {
        long copied = total;
        int runs = 0;
        if (input != null) {
            copied = 0;
            for (int i = 0; i < count; i++) {
                if (isInputRun(data[i])) {
                    runs++;
                } else {
                    copied += data[i].remaining();
                }
            }
        }
        if (copied > COPY_LIMIT || (runs > 0 && pieces + 2 * runs + 1 > MAX_PIECES)) {
            return false;
        }
        ByteBuffer b = buffer;
        if (b == null) {
            b = buffer = ByteBuffer.allocateDirect(CAPACITY);
        }
        if (copied > b.remaining()) {
            return false;
        }
        for (int i = 0; i < count; i++) {
            if (runs > 0 && isInputRun(data[i])) {
                reference(data[i]);
            } else {
                b.put(data[i]);
            }
        }
        return true;
    }

    private boolean isInputRun(ByteBuffer b) {
        return b == input && b.remaining() >= REFERENCE_MIN && (referenced == null || referenced == b);
    }

    /** Notes {@code run} (of the input buffer) as the next piece, after the copies made since the last one. */
    private void reference(ByteBuffer run) {
        closeCopies();
        starts[pieces] = run.position();
        ends[pieces] = run.limit();
        inInput[pieces++] = true;
        referencedBytes += run.remaining();
        referenced = run;
        run.position(run.limit());
    }

    /** The copies since the last input piece become a piece of their own. */
    private void closeCopies() {
        int end = buffer.position();
        if (end > copiedFrom) {
            starts[pieces] = copiedFrom;
            ends[pieces] = end;
            inInput[pieces++] = false;
            copiedFrom = end;
        }
    }

    boolean isEmpty() {
        return pieces == 0 && (buffer == null || buffer.position() == 0);
    }

    /** True while a piece lies in the input buffer: release the cork before that buffer is read into again. */
    boolean holdsInput() {
        return referenced != null;
    }

    /** Every byte collected, copied or not. */
    long collectedBytes() {
        return (buffer == null ? 0 : buffer.position()) + referencedBytes;
    }

    /**
     * Puts the collected bytes, then {@code data[0..count)}, into {@link #gathered()} for one
     * gathering write, and returns how many buffers that is. {@link #reset()} once they are written
     * or copied. Do not keep the array.
     */
    int collect(ByteBuffer[] data, int count) {
        int n;
        if (pieces == 0) {
            room(1 + count);
            gather[0] = buffer.flip();
            n = 1;
        } else {
            closeCopies();
            room(pieces + count);
            for (n = 0; n < pieces; n++) {
                gather[n] = view(n).limit(ends[n]).position(starts[n]);
            }
        }
        if (count > 0) {
            System.arraycopy(data, 0, gather, n, count);
        }
        return n + count;
    }

    /** The array {@link #collect} filled. */
    ByteBuffer[] gathered() {
        return gather;
    }

    private void room(int n) {
        if (gather.length < n) {
            gather = new ByteBuffer[n];
        }
    }

    /** A cleared view of what piece {@code i} lies in. */
    private ByteBuffer view(int i) {
        ByteBuffer[] views = bufferViews;
        ByteBuffer of = buffer;
        if (inInput[i]) {
            if (inputViewed != referenced) {
                java.util.Arrays.fill(inputViews, null); // views of an earlier input buffer
                inputViewed = referenced;
            }
            views = inputViews;
            of = referenced;
        }
        ByteBuffer v = views[i];
        if (v == null) {
            v = views[i] = of.duplicate();
        }
        return v.clear();
    }

    /** {@code data} as a one-element array, reused by every call on this thread; clear its element after use. */
    ByteBuffer[] one(ByteBuffer data) {
        one[0] = data;
        return one;
    }

    /** Empties the cork. */
    void reset() {
        if (buffer != null) {
            buffer.clear();
        }
        pieces = 0;
        copiedFrom = 0;
        referencedBytes = 0;
        referenced = null;
        java.util.Arrays.fill(gather, null); // the caller's buffers are not ours to keep
    }
}
