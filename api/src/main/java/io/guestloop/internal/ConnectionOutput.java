package io.guestloop.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * The writing half of a {@link CoreConnection}. A write made while the connection's own
 * {@code onData} runs collects in its thread's {@link WriteCork}; any other write goes straight to
 * the socket. What the socket does not take waits in a {@link WriteQueue}, in order, until the
 * connection is writable again. Several buffers written together leave in one gathering write.
 *
 * <p>The connection keeps the state (open, closing) and the readiness interest; this class tells it
 * when bytes were queued and when the socket failed.
 *
 * <p><b>Threading:</b> the connection's service thread only.
 */
final class ConnectionOutput {

    /** The most one {@code Connection.write(ByteBuffer...)} may take: what it queues must fit in one buffer. */
    private static final long MAX_UNIT = Integer.MAX_VALUE - 8;

    private final CoreConnection connection;
    private final WritableByteChannel out;
    /** {@code out} as a gathering channel, or null when it is not one (then buffers go one by one). */
    private final GatheringByteChannel gathering;
    private final WriteCork cork;
    private final ContextSpec spec;
    private final WriteQueue queue = new WriteQueue();
    /** The queue reached the high-water mark and has not yet drained to the low one. */
    private boolean unwritable;

    ConnectionOutput(CoreConnection connection, WritableByteChannel out, WriteCork cork, ContextSpec spec) {
        this.connection = connection;
        this.out = out;
        this.gathering = out instanceof GatheringByteChannel g ? g : null;
        this.cork = cork;
        this.spec = spec;
    }

    /** The bytes {@code data} holds, which must fit in one unit; every buffer is checked before anything is taken. */
    static long unitSize(ByteBuffer[] data) {
        long total = 0;
        for (ByteBuffer b : data) {
            total += b.remaining(); // a null buffer fails here, before anything is taken
        }
        if (total > MAX_UNIT) {
            throw new IllegalArgumentException("cannot write " + total + " bytes as one unit: at most " + MAX_UNIT
                    + " bytes may be written in one call; split the write");
        }
        return total;
    }

    long queuedBytes() {
        return queue.bytes();
    }

    /** True when the queue holds the high-water mark or more: a new write is refused. */
    boolean isFull() {
        return queue.bytes() >= spec.highWaterMark();
    }

    /**
     * Takes all of {@code data[0..count)} ({@code total} bytes, more than none): written, corked or
     * queued. Straight to the socket only when {@code direct} (the connection is open) and nothing
     * waits in the queue. False when the socket failed; the connection is then closed.
     */
    boolean send(ByteBuffer[] data, int count, long total, boolean direct) {
        if (direct && queue.bytes() == 0) {
            if (cork.isOwner(connection)) {
                if (cork.offer(data, count, total)) {
                    return true;
                }
                if (!cork.isEmpty()) {
                    // the new bytes do not fit in the cork: what it collected and then they leave in
                    // one gathering write rather than a write each
                    return writeCorked(data, count, total);
                }
            }
            long left;
            try {
                left = total - writeNow(data, 0, count, total);
            } catch (IOException e) {
                connection.ioFailed(e);
                return false;
            }
            if (left == 0) {
                return true;
            }
        }
        queue.add(data, 0, count);
        queued();
        return true;
    }

    /**
     * Writes what the connection collected in the cork; what the socket does not take queues,
     * before anything written later. False when the socket failed.
     */
    boolean releaseCork() {
        return cork.isEmpty() || writeCorked(null, 0, 0);
    }

    /**
     * Writes what the cork collected, then {@code data[0..count)} ({@code total} bytes), in one
     * gathering write; the rest is copied into the queue (the cork may hold bytes of the read buffer,
     * which the next read reuses). The cork is empty afterwards. False when the socket failed.
     */
    private boolean writeCorked(ByteBuffer[] data, int count, long total) {
        long bytes = cork.collectedBytes() + total;
        int n = cork.collect(data, count);
        ByteBuffer[] all = cork.gathered();
        long left;
        try {
            left = bytes - writeNow(all, 0, n, bytes);
        } catch (IOException e) {
            cork.reset();
            connection.ioFailed(e);
            return false;
        }
        if (left > 0) {
            queue.add(all, 0, n);
        }
        cork.reset();
        if (left > 0) {
            queued();
        }
        return true;
    }

    /** The connection closes now: what it corked in this onData still goes to the socket, as an uncorked write would have. */
    void closing() {
        if (cork.isOwner(connection) && !cork.isEmpty()) {
            long bytes = cork.collectedBytes();
            int n = cork.collect(null, 0);
            try {
                writeNow(cork.gathered(), 0, n, bytes);
            } catch (IOException ignored) {
                // closing anyway
            }
            cork.reset();
        }
        queue.clear();
    }

    /**
     * Writes queued bytes until the socket stops taking them, and reports the way back under the
     * low-water mark. False when the connection failed or was closed by its handler.
     */
    boolean flush() {
        try {
            queue.writeTo(out);
        } catch (IOException e) {
            connection.ioFailed(e);
            return false;
        }
        if (unwritable && queue.bytes() <= spec.lowWaterMark()) {
            unwritable = false;
            return connection.writabilityChanged(true);
        }
        return true;
    }

    /** Bytes went to the queue: the connection watches for WRITE, and hears once that the queue is full. */
    private void queued() {
        connection.updateInterest();
        if (!unwritable && queue.bytes() >= spec.highWaterMark()) {
            unwritable = true;
            connection.writabilityChanged(false);
        }
    }

    private void writeNow(ByteBuffer data) throws IOException {
        while (data.hasRemaining() && out.write(data) > 0) {
            // keep writing while the socket takes bytes
        }
    }

    /** Writes {@code data[from..to)} ({@code total} bytes) while the socket takes them; returns the bytes written. */
    private long writeNow(ByteBuffer[] data, int from, int to, long total) throws IOException {
        if (to - from == 1) {
            long before = data[from].remaining();
            writeNow(data[from]);
            return before - data[from].remaining();
        }
        long written = 0;
        if (gathering != null) {
            long n;
            while (written < total && (n = gathering.write(data, from, to - from)) > 0) {
                written += n;
            }
            return written;
        }
        for (int i = from; i < to; i++) {
            long before = data[i].remaining();
            writeNow(data[i]);
            written += before - data[i].remaining();
            if (data[i].hasRemaining()) {
                break;
            }
        }
        return written;
    }
}
