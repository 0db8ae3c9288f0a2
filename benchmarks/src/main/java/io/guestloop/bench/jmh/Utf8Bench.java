package io.guestloop.bench.jmh;

import io.guestloop.bench.Payload;
import io.guestloop.websocket.internal.Utf8Validator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * {@link Utf8Validator} over {@link #BYTES} bytes per operation, from a direct buffer (what the
 * frame parser hands it): pure ASCII, mixed text where most characters take 2 to 4 bytes, and
 * {@code mixed10}: the load generator's prose with one character in ten outside ASCII
 * ({@link Payload#text(int, int)}, 2- and 3-byte sequences between short ASCII words).
 * Score × {@link #BYTES} = bytes validated per second.
 *
 * <p><b>Threading:</b> one JMH thread.
 */
@State(Scope.Thread)
public class Utf8Bench {

    /** Bytes validated per operation. */
    public static final int BYTES = 1 << 20;

    @Param({"ascii", "mixed", "mixed10"})
    public String text;

    private ByteBuffer buffer;
    private final Utf8Validator validator = new Utf8Validator();

    @Setup
    public void build() {
        buffer = ByteBuffer.allocateDirect(BYTES);
        if (text.equals("mixed10")) {
            buffer.put(Payload.text(BYTES, 10)).flip();
            return;
        }
        String unit = text.equals("ascii")
                ? "The quick brown fox jumps over the lazy dog; 0123456789. "
                : "Größe, 東京, Москва, ελληνικά, 😀🚀, naïve café. ";
        byte[] unitBytes = unit.getBytes(StandardCharsets.UTF_8);
        while (buffer.remaining() >= unitBytes.length) {
            buffer.put(unitBytes);
        }
        while (buffer.hasRemaining()) {
            buffer.put((byte) ' ');
        }
        buffer.flip();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public int validate() {
        validator.reset();
        int bad = validator.feed(buffer, 0, BYTES);
        if (bad >= 0 || !validator.isComplete()) {
            throw new IllegalStateException("benchmark text rejected at byte " + bad);
        }
        return bad;
    }
}
