package io.guestloop.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.security.SecureRandom;

/**
 * The load generator's lean WebSocket framing ({@link LoadGenerator.Framing#LEAN}): once Netty's
 * client has done the handshake, messages go out as frames masked in advance and echoes are checked
 * header by header, so the generator spends on each message about what it spends against the raw
 * byte echo, and the server under test, not the generator, sets the pace.
 *
 * <p>Client frames: a pool of binary (or text, as {@link Payload} says) frames of the message size, each masked with its own key from
 * {@link SecureRandom}; {@link #next()} hands them out in turn. A server cannot tell them from frames
 * masked at send time: it unmasks every frame with the key the frame carries, as RFC 6455 requires.
 * (What a pool gives up is that a key is not unpredictable to an observer of earlier traffic, which
 * only matters against a proxy an attacker can poison, not on loopback.)
 *
 * <p>Server frames: an echo must be one unmasked final frame of the same opcode and exactly the message size.
 * {@link Counter} checks each echo's header bytes against that and skips its payload; anything else
 * (a ping, a close, a fragment, a wrong length) is an error that ends the run with a message.
 *
 * <p><b>Threading:</b> the generator's one loop thread; a {@link Counter} belongs to one connection.
 */
final class LeanFrames {

    /** What the pool holds at most, in bytes, whatever the message size. */
    private static final int POOL_BYTES = 4 << 20;
    private static final int MAX_FRAMES = 1024;

    private final ByteBuf frames;
    private final int frameLength;
    private final int count;
    private final byte[] echoHeader;
    private final int size;
    private int next;

    /** Builds the pool for {@code payload.length}-byte binary messages. */
    LeanFrames(byte[] payload) {
        this(payload, Payload.BINARY);
    }

    /** Builds the pool for {@code payload.length}-byte messages sent as {@code kind} frames. */
    LeanFrames(byte[] payload, Payload kind) {
        this.size = payload.length;
        int opcode = kind.opcode();
        byte[] clientHeader = header(opcode, size, true);
        this.frameLength = clientHeader.length + 4 + size; // header, masking key, payload
        this.count = Math.max(16, Math.min(MAX_FRAMES, POOL_BYTES / frameLength));
        this.echoHeader = header(opcode, size, false);
        SecureRandom random = new SecureRandom();
        byte[] key = new byte[4];
        ByteBuf all = Unpooled.directBuffer(frameLength * count);
        for (int f = 0; f < count; f++) {
            random.nextBytes(key);
            all.writeBytes(clientHeader).writeBytes(key);
            for (int i = 0; i < size; i++) {
                all.writeByte(payload[i] ^ key[i & 3]);
            }
        }
        this.frames = Unpooled.unreleasableBuffer(all);
    }

    /** The next client frame, ready to write; the channel may release it (the pool ignores that). */
    ByteBuf next() {
        return next(1);
    }

    /**
     * Up to {@code n} consecutive client frames in one buffer, ready to write: fewer when the pool's
     * end comes first (call again for the rest), so that a batch of echoes is answered with one write
     * instead of one per frame.
     */
    ByteBuf next(int n) {
        int take = Math.min(n, count - next);
        ByteBuf run = frames.slice(next * frameLength, take * frameLength);
        next = next + take == count ? 0 : next + take;
        return run;
    }

    /** How many frames {@code run} (from {@link #next(int)}) holds. */
    int framesIn(ByteBuf run) {
        return run.readableBytes() / frameLength;
    }

    /** A new counter of echoes for one connection. */
    Counter counter() {
        return new Counter(echoHeader, size);
    }

    /** FIN + {@code opcode}, then the 7-bit length (with the mask bit for a client) and the extended length. */
    private static byte[] header(int opcode, int size, boolean masked) {
        int mask = masked ? 0x80 : 0;
        byte first = (byte) (0x80 | opcode);
        if (size < 126) {
            return new byte[] {first, (byte) (mask | size)};
        }
        if (size < 65536) {
            return new byte[] {first, (byte) (mask | 126), (byte) (size >>> 8), (byte) size};
        }
        byte[] h = new byte[10];
        h[0] = first;
        h[1] = (byte) (mask | 127);
        for (int i = 0; i < 8; i++) {
            h[9 - i] = (byte) ((long) size >>> (8 * i));
        }
        return h;
    }

    /**
     * Counts whole echo frames in a connection's byte stream, whatever the reads' boundaries.
     *
     * <p><b>Threading:</b> its connection's loop thread only.
     */
    static final class Counter {
        private final byte[] header;
        private final int headerLength;
        private final long frameLength;
        /** Bytes of the current frame seen so far. */
        private long at;

        private Counter(byte[] header, int size) {
            this.header = header;
            this.headerLength = header.length;
            this.frameLength = headerLength + (long) size;
        }

        /**
         * Consumes {@code in} and returns how many echoes it completed.
         *
         * @throws IllegalStateException when a frame is not the expected echo
         */
        int feed(ByteBuf in) {
            int done = 0;
            while (in.isReadable()) {
                if (at < headerLength) {
                    byte b = in.readByte();
                    if (b != header[(int) at]) {
                        throw new IllegalStateException(String.format(
                                "byte %d of an echo frame's header is 0x%02x, expected 0x%02x (an unmasked final frame of the sent opcode and the message size)",
                                at, b & 0xff, header[(int) at] & 0xff));
                    }
                    at++;
                } else {
                    int skip = (int) Math.min(in.readableBytes(), frameLength - at);
                    in.skipBytes(skip);
                    at += skip;
                }
                if (at == frameLength) {
                    at = 0;
                    done++;
                }
            }
            return done;
        }
    }
}
