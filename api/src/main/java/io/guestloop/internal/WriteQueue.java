package io.guestloop.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayDeque;

/**
 * What a connection's socket has not taken yet: copies of the unwritten rest of each write, in
 * order. Holds nothing (not even a deque) while the socket keeps up, which is the common case, so
 * an idle connection costs no queue memory.
 *
 * <p><b>Threading:</b> not thread-safe; used on the connection's service thread only.
 */
final class WriteQueue {

    private ArrayDeque<ByteBuffer> buffers;
    private long bytes;

    /** Bytes queued and not yet taken by the socket. */
    long bytes() {
        return bytes;
    }

    /** Queues a copy of what remains of {@code data}, consuming it. */
    void add(ByteBuffer data) {
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data).flip();
        append(copy);
    }

    /**
     * Queues one copy of what remains of {@code data[from..to)}, consuming them: one queued buffer,
     * so that what was written as one unit (one datagram, say) leaves as one.
     */
    void add(ByteBuffer[] data, int from, int to) { // the caller keeps a unit under 2 GiB
        long total = 0;
        for (int i = from; i < to; i++) {
            total += data[i].remaining();
        }
        ByteBuffer copy = ByteBuffer.allocate((int) total);
        for (int i = from; i < to; i++) {
            copy.put(data[i]);
        }
        append(copy.flip());
    }

    private void append(ByteBuffer copy) {
        if (buffers == null) {
            buffers = new ArrayDeque<>(4);
        }
        buffers.addLast(copy);
        bytes += copy.remaining();
    }

    /** Writes queued bytes to {@code out} until it stops taking them or the queue is empty. */
    void writeTo(WritableByteChannel out) throws IOException {
        ByteBuffer head;
        while ((head = buffers.peekFirst()) != null) {
            bytes -= out.write(head);
            if (head.hasRemaining()) {
                return;
            }
            buffers.pollFirst();
        }
        buffers = null; // drained: give the deque back
    }

    /** Drops everything queued. */
    void clear() {
        buffers = null;
        bytes = 0;
    }
}
