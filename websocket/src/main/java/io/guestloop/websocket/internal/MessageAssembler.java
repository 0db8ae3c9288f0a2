package io.guestloop.websocket.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Collects the fragments of one incoming message into one array. The array is reused from message
 * to message, so steady traffic of similar sizes allocates nothing here; after a message larger
 * than {@link #RETAINED} it is dropped, so one big message does not pin memory for the life of the
 * connection. The size limit was already enforced by the parser from the frame headers.
 *
 * <p><b>Threading:</b> not thread-safe; one instance per connection, used on its service thread.
 */
public final class MessageAssembler {

    /** The largest array kept between messages. */
    static final int RETAINED = 64 * 1024;
    private static final byte[] EMPTY = new byte[0];

    private byte[] bytes = EMPTY;
    private int length;

    /** Appends the remaining bytes of {@code chunk}, advancing its position. */
    public void append(ByteBuffer chunk) {
        int n = chunk.remaining();
        if (bytes.length - length < n) {
            long grown = Math.max(256L, bytes.length * 2L);
            bytes = Arrays.copyOf(bytes, (int) Math.min(Math.max(grown, (long) length + n), Integer.MAX_VALUE - 8));
        }
        chunk.get(bytes, length, n);
        length += n;
    }

    /** The message as text (already validated UTF-8). */
    public String text() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    /** The message as a buffer over the assembled bytes, valid until the next {@link #reset()}. */
    public ByteBuffer binary() {
        return ByteBuffer.wrap(bytes, 0, length).slice();
    }

    /** Forgets the message, keeping the array unless it grew past {@link #RETAINED}. */
    public void reset() {
        length = 0;
        if (bytes.length > RETAINED) {
            bytes = EMPTY;
        }
    }
}
