package io.guestloop.bench;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * What the load generator's messages carry: binary frames of random bytes, or text frames of valid
 * UTF-8 that reads like prose: all ASCII ({@link #TEXT}, the kind of text the text figures
 * were taken on: chat, JSON, logs), or with about one character in ten outside ASCII
 * ({@link #MIXED_TEXT}, two and three bytes long, where a JDK {@code String} takes two bytes a
 * character and UTF-8 checks leave their ASCII fast path). The bytes come from a fixed seed, so
 * every server of a run, and every run, echoes the same text. A workload name ends in {@code t} for
 * ASCII text ({@code 16384x100t}) and {@code u} for mixed text ({@code 16384x100u}), see {@link #of(String)}.
 *
 * <p><b>Threading:</b> immutable; any thread.
 */
public enum Payload {
    /** Binary frames (opcode 2) of random bytes. */
    BINARY("", ""),
    /** Text frames (opcode 1) of ASCII prose; servers that validate text do so. */
    TEXT("t", " text"),
    /** Text frames (opcode 1) of prose with ~10 % non-ASCII characters; servers that validate text do so. */
    MIXED_TEXT("u", " mixed text");

    /** Characters outside ASCII the mixed text uses: Latin (2 bytes), Greek (2), CJK and the euro sign (3). */
    private static final String NON_ASCII = "éèàüößçñøåΩλπ€中文字";
    private static final long TEXT_SEED = 0x6775_6573_746cL;

    private final String suffix;
    private final String label;

    Payload(String suffix, String label) {
        this.suffix = suffix;
        this.label = label;
    }

    /** True for the text kinds. */
    boolean isText() {
        return this != BINARY;
    }

    /** The WebSocket opcode of a frame of this payload. */
    int opcode() {
        return isText() ? 0x1 : 0x2;
    }

    /** The suffix of a workload name for this payload: none for binary, {@code t} or {@code u} for text. */
    String suffix() {
        return suffix;
    }

    /** What a table row adds after the message size: nothing for binary, " text", " mixed text". */
    String label() {
        return label;
    }

    /** The payload of a workload name ({@code 64x100}: binary; {@code 64x100t}: text; {@code 64x100u}: mixed text). */
    static Payload of(String workload) {
        for (Payload p : values()) {
            if (p.isText() && workload.endsWith(p.suffix)) {
                return p;
            }
        }
        return BINARY;
    }

    /** A message of exactly {@code size} bytes of this payload (at least one byte). */
    byte[] message(int size) {
        int n = Math.max(size, 1);
        if (this == BINARY) {
            byte[] bytes = new byte[n];
            new Random().nextBytes(bytes);
            return bytes;
        }
        return text(n, this == MIXED_TEXT ? 10 : 0);
    }

    /** Valid UTF-8 of exactly {@code n} bytes: words of 2–9 letters, spaces, one character in {@code oneIn} non-ASCII (0: none). */
    public static byte[] text(int n, int oneIn) {
        Random random = new Random(TEXT_SEED);
        byte[] out = new byte[n];
        int at = 0;
        int word = 0;
        while (at < n) {
            if (word == 0) {
                word = 2 + random.nextInt(8);
                if (at > 0) {
                    out[at++] = ' ';
                    continue;
                }
            }
            word--;
            if (oneIn > 0 && random.nextInt(oneIn) == 0) {
                byte[] c = String.valueOf(NON_ASCII.charAt(random.nextInt(NON_ASCII.length()))).getBytes(StandardCharsets.UTF_8);
                if (at + c.length <= n) {
                    System.arraycopy(c, 0, out, at, c.length);
                    at += c.length;
                    continue;
                }
            }
            out[at++] = (byte) ('a' + random.nextInt(26));
        }
        return out;
    }
}
