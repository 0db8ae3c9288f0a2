package io.guestloop.websocket.internal;

import java.nio.ByteBuffer;
import java.util.zip.Deflater;

/**
 * The sending half of {@code permessage-deflate} (RFC 7692 section 7.2.1), in front of a
 * {@link FrameOutput}: a data message of at least the configured size is deflated with a sync
 * flush, the {@code 00 00 ff ff} that ends the flush is removed from the end of the message, and
 * the frame goes out with RSV1 set; a fragmented message is deflated fragment by fragment, RSV1 on
 * its first frame only, the tail removed from its last. Shorter messages, and everything when
 * nothing was negotiated, pass through as they are. Control frames never come here.
 *
 * <p>RSV1 travels to the frame header in the opcode argument ({@link #RSV1} or-ed in):
 * {@link FrameWriter} writes {@code fin | opcode} into the first byte as it is.
 *
 * <p>A deflated message must reach the peer, or the two LZ77 windows part ways: so a send is
 * deflated only once the session checked that the connection takes it (a refusal can then only
 * come from a connection closing under it, and ends it).
 *
 * <p>Memory: with context takeover the connection owns one {@code Deflater}, made at its first
 * compressed message; without it a deflater is borrowed from the service thread's
 * {@link CodecPool} for each message. Output goes into one buffer per service thread when it fits
 * {@link #SCRATCH_SIZE}, else into a buffer of the message's bound made for it.
 *
 * <p><b>Threading:</b> not thread-safe; one per session, used on its connection's service thread.
 */
final class MessageDeflater {

    /** The first-byte bit that marks a compressed message. */
    static final int RSV1 = 0x40;
    static final int SCRATCH_SIZE = 64 * 1024;
    private static final byte[] NO_BYTES = new byte[0];
    private static final ThreadLocal<ByteBuffer> SCRATCH = ThreadLocal.withInitial(() -> ByteBuffer.allocate(SCRATCH_SIZE));

    private final FrameOutput out;
    /** Null when nothing was negotiated: every message passes through. */
    private final PerMessageDeflate agreed;
    private final boolean freshWindowEachMessage;
    private final CodecPool pool;
    private final Runnable broken;
    private Deflater own;
    /** The deflater of the fragmented message in progress, or null. */
    private Deflater fragmenting;
    /** True while a fragmented message goes out uncompressed. */
    private boolean fragmentingPlain;
    private boolean released;

    /**
     * @param agreed the negotiated parameters, or null for none
     * @param broken ends the connection when a deflated frame could not be queued
     */
    MessageDeflater(FrameOutput out, PerMessageDeflate agreed, boolean server, Runnable broken) {
        this.out = out;
        this.agreed = agreed;
        this.broken = broken;
        this.freshWindowEachMessage = agreed != null && agreed.sendsWithoutContext(server);
        this.pool = agreed != null ? CodecPool.join() : null;
    }

    /** True when permessage-deflate was negotiated on this connection. */
    boolean isNegotiated() {
        return agreed != null;
    }

    /**
     * True when a whole message of at least {@code length} bytes goes out compressed (a text's
     * {@code char} count is such a lower bound of its UTF-8 length).
     */
    boolean compresses(int length) {
        return agreed != null && length >= agreed.minMessageSize();
    }

    /** Sends a whole message, deflated when negotiated and long enough; see {@link FrameOutput#send}. */
    boolean send(int opcode, ByteBuffer payload) {
        if (!compresses(payload.remaining())) {
            return out.send(true, opcode, payload);
        }
        Deflater deflater = take();
        ByteBuffer deflated = deflate(deflater, payload, true);
        giveBack(deflater);
        return sent(out.send(true, opcode | RSV1, deflated));
    }

    /** Sends the next fragment of a message; see {@link FrameOutput#sendFragment}. */
    boolean sendFragment(int opcode, ByteBuffer part, boolean last) {
        boolean first = fragmenting == null && !fragmentingPlain;
        if (first) {
            fragmentingPlain = agreed == null || part.remaining() < agreed.minMessageSize();
        }
        if (fragmentingPlain) {
            boolean sent = out.sendFragment(opcode, part, last);
            if (sent ? last : first) {
                fragmentingPlain = false; // the message ended, or never began: the next send decides anew
            }
            return sent;
        }
        if (first) {
            fragmenting = take();
        }
        ByteBuffer deflated = deflate(fragmenting, part, last);
        if (last) {
            giveBack(fragmenting);
            fragmenting = null;
        }
        return sent(out.sendFragment(opcode | RSV1, deflated, last));
    }

    private boolean sent(boolean sent) {
        if (!sent) {
            broken.run();
        }
        return sent;
    }

    private Deflater take() {
        if (freshWindowEachMessage) {
            return pool.lendDeflater(agreed.level());
        }
        if (own == null) {
            own = CodecPool.newDeflater(agreed.level());
        }
        return own;
    }

    private void giveBack(Deflater deflater) {
        if (freshWindowEachMessage) {
            pool.giveBack(deflater, agreed.level());
        }
    }

    /**
     * Deflates all of {@code payload} (its position goes to its limit) with a sync flush.
     *
     * @param endOfMessage remove the flush's {@code 00 00 ff ff}, as the end of a message requires
     */
    static ByteBuffer deflate(Deflater deflater, ByteBuffer payload, boolean endOfMessage) {
        int length = payload.remaining();
        // deflate's worst case: stored blocks of 5 bytes' overhead per 16 KiB, and the flush
        int bound = length + (length >> 10) + 64;
        ByteBuffer buf = bound <= SCRATCH_SIZE ? SCRATCH.get().clear() : ByteBuffer.allocate(bound);
        deflater.setInput(payload);
        while (true) {
            deflater.deflate(buf, Deflater.SYNC_FLUSH);
            if (buf.hasRemaining()) {
                break; // the flush is complete once zlib stopped with room to spare
            }
            buf = ByteBuffer.allocate(buf.capacity() * 2).put(buf.flip());
        }
        deflater.setInput(NO_BYTES); // the caller's buffer is not kept reachable by a deflater that lives on
        buf.flip();
        if (endOfMessage) {
            int end = buf.limit();
            if (end >= 4 && buf.get(end - 4) == 0 && buf.get(end - 3) == 0 && buf.get(end - 2) == (byte) 0xFF
                    && buf.get(end - 1) == (byte) 0xFF) {
                buf.limit(end - 4);
            }
            if (!buf.hasRemaining()) {
                // Nothing new to flush (an empty message): one empty stored block's first byte, as
                // RFC 7692 section 7.2.3.6 sends it; the peer's restored tail completes the block.
                buf.clear().put((byte) 0).flip();
            }
        }
        return buf;
    }

    /** The session ended: every deflater is ended or given back. Idempotent. */
    void release() {
        if (released || agreed == null) {
            return;
        }
        released = true;
        if (fragmenting != null && fragmenting != own) {
            pool.giveBack(fragmenting, agreed.level());
        }
        fragmenting = null;
        if (own != null) {
            CodecPool.end(own);
            own = null;
        }
        pool.leave();
    }
}
