package io.guestloop.websocket.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of one incoming message, copied at most once. A message whose payload arrives in one
 * piece (one frame, in one read) is not copied at all: the assembler keeps a reference to where the
 * piece lies in the buffer the parser was fed, and hands it over from there. Only when a second
 * piece arrives, or the feed ends before the message does ({@link #detach()}: the read buffer is
 * about to be reused), are the bytes copied into a buffer of the assembler's own, and every later
 * piece after them.
 *
 * <p>That buffer is direct, so a message echoed from it leaves with no further copy, and it is
 * reused from message to message; after a message larger than {@link #RETAINED} it is dropped, so
 * one big message does not pin memory for the life of the connection. The size limit was already
 * enforced by the parser from the frame headers. Steady traffic allocates nothing here: the
 * read-only views handed out are made once per source buffer.
 *
 * <p><b>Threading:</b> not thread-safe; one instance per connection, used on its service thread.
 */
public final class MessageAssembler {

    /** The largest buffer kept between messages. */
    static final int RETAINED = 64 * 1024;
    /** Bytes kept per service thread to build a String from (see {@link #text()}). */
    private static final ThreadLocal<byte[][]> TEXT_SCRATCH = ThreadLocal.withInitial(() -> new byte[1][]);
    private static final ByteBuffer EMPTY = ByteBuffer.allocateDirect(0).asReadOnlyBuffer();

    /** The buffer the one piece so far lies in (not our own), or null. */
    private ByteBuffer source;
    private int sourceStart;
    private int sourceEnd;
    /** Our own copy of the message so far (position = bytes held), or null. */
    private ByteBuffer own;
    /** A read-only view of the last buffer that was a source, made once per such buffer (the read buffer, mostly). */
    private ByteBuffer sourceView;
    private ByteBuffer sourceViewed;
    /** A read-only view of {@link #own}, made once per buffer. */
    private ByteBuffer ownView;

    /** Takes the remaining bytes of {@code chunk}, advancing its position; they must stay put until {@link #detach()}. */
    public void append(ByteBuffer chunk) {
        if (source == null && (own == null || own.position() == 0)) {
            source = chunk;
            sourceStart = chunk.position();
            sourceEnd = chunk.limit();
            chunk.position(sourceEnd);
            return;
        }
        detach();
        room(chunk.remaining()).put(chunk);
    }

    /** The buffer given to {@link #append} is about to change: copy what lies there into our own. */
    public void detach() {
        if (source == null) {
            return;
        }
        ByteBuffer piece = sourceView(source).limit(sourceEnd).position(sourceStart);
        source = null;
        room(piece.remaining()).put(piece);
    }

    private ByteBuffer room(int n) {
        int held = own == null ? 0 : own.position();
        if (own == null || own.remaining() < n) {
            long grown = Math.max(256L, own == null ? 0 : own.capacity() * 2L);
            int capacity = (int) Math.min(Math.max(grown, (long) held + n), Integer.MAX_VALUE - 8);
            ByteBuffer bigger = capacity <= RETAINED ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
            if (own != null) {
                bigger.put(own.flip());
            }
            own = bigger;
            ownView = null;
        }
        return own;
    }

    /**
     * The message as a read-only buffer, from position to limit, valid until the next
     * {@link #reset()} (and, when it was not copied, until the buffer it lies in is reused).
     */
    public ByteBuffer message() {
        if (source != null) {
            return sourceView(source).limit(sourceEnd).position(sourceStart);
        }
        if (own == null) {
            return EMPTY; // capacity 0 and read-only: nothing about it can change
        }
        if (ownView == null) {
            ownView = own.asReadOnlyBuffer();
        }
        return ownView.clear().limit(own.position());
    }

    /**
     * The buffer the message lies in, when it was not copied and {@code view} is the view
     * {@link #message()} handed out, over a range of the message; else null. The message's bytes
     * there are final (checked, unmasked): writing that buffer over the same range sends the same
     * bytes, and lets a connection send them from where they lie.
     */
    public ByteBuffer sourceUnder(ByteBuffer view) {
        if (source == null || view != sourceView || sourceViewed != source
                || view.position() < sourceStart || view.limit() > sourceEnd) {
            return null;
        }
        return source;
    }

    /** A read-only view of {@code buffer}, cleared; the same object while {@code buffer} is the source. */
    private ByteBuffer sourceView(ByteBuffer buffer) {
        if (sourceViewed != buffer) {
            sourceView = buffer.asReadOnlyBuffer();
            sourceViewed = buffer;
        }
        return sourceView.clear();
    }

    /** The message as text (already validated UTF-8); the {@code String} is the only allocation. */
    public String text() {
        ByteBuffer m = message();
        int n = m.remaining();
        byte[][] slot = TEXT_SCRATCH.get();
        byte[] scratch = slot[0];
        if (scratch == null || scratch.length < n) {
            scratch = new byte[Math.max(n, 1024)];
            if (n <= RETAINED) {
                slot[0] = scratch;
            }
        }
        m.get(scratch, 0, n);
        return new String(scratch, 0, n, StandardCharsets.UTF_8);
    }

    /** Forgets the message, keeping our own buffer unless it grew past {@link #RETAINED}. */
    public void reset() {
        source = null;
        if (sourceViewed != null && !sourceViewed.isDirect()) {
            sourceView = sourceViewed = null; // a held copy, dropped after its feed: no view keeps it alive
        }
        if (own != null) {
            if (own.capacity() > RETAINED) {
                own = ownView = null;
            } else {
                own.clear();
            }
        }
    }
}
