package io.guestloop.websocket.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The RFC 6455 masking transform (XOR with a 4-byte key, section 5.3), applied in place. Masking
 * and unmasking are the same operation. Works eight bytes at a time where it can.
 *
 * <p><b>Threading:</b> stateless; any thread, on buffers that thread owns.
 */
public final class Masking {

    private Masking() {
    }

    /**
     * XORs {@code buf[from, to)} (absolute indexes) with {@code key}, where {@code buf[from]} is
     * payload byte number {@code payloadOffset} of its frame (the key repeats every 4 bytes of the
     * payload, however the payload was split). The buffer must be writable.
     *
     * @param key the masking key, its first byte on the wire in the most significant position
     * @return true when every byte the transform wrote is ASCII (below 0x80): then that text needs no
     *         UTF-8 check of its own, which the same pass told at the cost of one OR per eight bytes
     */
    public static boolean apply(ByteBuffer buf, int from, int to, int key, long payloadOffset) {
        int rotated = Integer.rotateLeft(key, (int) (payloadOffset & 3) * 8);
        int i = from;
        long seen = 0;
        if (to - i >= 8) {
            long wide = ((long) rotated << 32) | (rotated & 0xFFFF_FFFFL);
            if (buf.order() == ByteOrder.LITTLE_ENDIAN) {
                wide = Long.reverseBytes(wide);
            }
            for (int end = to - 7; i < end; i += 8) {
                long v = buf.getLong(i) ^ wide;
                buf.putLong(i, v);
                seen |= v;
            }
        }
        for (int shift = 24; i < to; i++) {
            byte v = (byte) (buf.get(i) ^ (rotated >>> shift));
            buf.put(i, v);
            seen |= v & 0xFF;
            shift = (shift - 8) & 31;
        }
        return (seen & Utf8Validator.HIGH_BITS) == 0;
    }

    /** As {@link #apply(ByteBuffer, int, int, int, long)} on {@code bytes[from, to)}. */
    public static void apply(byte[] bytes, int from, int to, int key, long payloadOffset) {
        apply(ByteBuffer.wrap(bytes), from, to, key, payloadOffset);
    }
}
