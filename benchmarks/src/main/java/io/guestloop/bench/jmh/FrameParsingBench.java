package io.guestloop.bench.jmh;

import io.guestloop.websocket.internal.FrameListener;
import io.guestloop.websocket.internal.FrameParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The server's {@link FrameParser} over about 1 MiB of masked client frames (header, mask key and
 * payload, as they arrive from a socket) per operation, in a direct buffer like the service
 * thread's read buffer. Text frames are ASCII, so the parser also runs its UTF-8 check over every
 * payload byte. Score × {@link #wireBytes} = bytes parsed per second.
 *
 * <p>The parser unmasks in place. The mask key's bytes are all below 0x80, so unmasking ASCII gives
 * ASCII and unmasking that again gives the original: every pass parses valid frames without a copy
 * to restore the buffer.
 *
 * <p><b>Threading:</b> one JMH thread.
 */
@State(Scope.Thread)
public class FrameParsingBench {

    private static final int TARGET_BYTES = 1 << 20;
    private static final int MASK_KEY = 0x1B2D3F47;

    @Param({"64", "16384"})
    public int size;

    @Param({"binary", "text"})
    public String kind;

    private ByteBuffer wire;
    private FrameParser parser;
    private long payloadSeen;

    /** The wire bytes of one operation for a payload size: whole frames, about 1 MiB. */
    public static int wireBytes(int payloadSize) {
        int frame = frameLength(payloadSize);
        return (TARGET_BYTES / frame) * frame;
    }

    private static int frameLength(int payloadSize) {
        int lengthBytes = payloadSize < 126 ? 0 : payloadSize < 65536 ? 2 : 8;
        return 2 + lengthBytes + 4 + payloadSize;
    }

    @Setup
    public void build() {
        boolean text = kind.equals("text");
        int frames = wireBytes(size) / frameLength(size);
        wire = ByteBuffer.allocateDirect(wireBytes(size));
        for (int f = 0; f < frames; f++) {
            wire.put((byte) (0x80 | (text ? 0x1 : 0x2)));
            if (size < 126) {
                wire.put((byte) (0x80 | size));
            } else {
                wire.put((byte) (0x80 | 126)).putShort((short) size);
            }
            wire.putInt(MASK_KEY);
            for (int i = 0; i < size; i++) {
                byte plain = (byte) (text ? 'a' + (i + f) % 26 : i * 31 + f);
                wire.put((byte) (plain ^ (MASK_KEY >>> (24 - 8 * (i & 3)))));
            }
        }
        wire.flip();
        parser = new FrameParser(true, 1 << 20, 1 << 20, new FrameListener() {
            @Override
            public void onMessageStart(boolean isText) {
            }

            @Override
            public void onMessagePayload(ByteBuffer payload) {
                payloadSeen += payload.remaining();
            }

            @Override
            public void onMessageEnd() {
            }

            @Override
            public void onPing(ByteBuffer payload) {
            }

            @Override
            public void onPong(ByteBuffer payload) {
            }

            @Override
            public void onClose(int code, String reason) {
                throw new IllegalStateException("no close frame was sent");
            }

            @Override
            public void onProtocolError(int closeCode, String reason) {
                throw new IllegalStateException("benchmark frames rejected: " + closeCode + " " + reason);
            }
        });
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public long parse() {
        wire.clear();
        parser.feed(wire);
        return payloadSeen;
    }
}
