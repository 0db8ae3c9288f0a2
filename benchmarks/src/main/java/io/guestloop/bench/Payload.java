package io.guestloop.bench;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * What the load generator's messages carry: binary frames of random bytes, or text frames of
 * valid UTF-8 that reads like prose (mostly ASCII words and spaces, about one character in ten
 * outside ASCII, two and three bytes long). The bytes come from a fixed seed, so every server of a
 * run, and every run, echoes the same text; a workload name ends in {@code t} for text
 * ({@code 16384x100t}), see {@link #of(String)}.
 *
 * <p><b>Threading:</b> immutable; any thread.
 */
public enum Payload {
    /** Binary frames (opcode 2) of random bytes. */
    BINARY,
    /** Text frames (opcode 1) of valid, mostly-ASCII UTF-8; servers that validate text do so. */
    TEXT;

    /** Characters outside ASCII the text mixes in: Latin (2 bytes), Greek (2), CJK and the euro sign (3). */
    private static final String NON_ASCII = "éèàüößçñøåΩλπ€中文字";
    private static final long TEXT_SEED = 0x6775_6573_746cL;

    /** The WebSocket opcode of a frame of this payload. */
    int opcode() {
        return this == TEXT ? 0x1 : 0x2;
    }

    /** The suffix of a workload name for this payload: none for binary, {@code t} for text. */
    String suffix() {
        return this == TEXT ? "t" : "";
    }

    /** The payload of a workload name ({@code 64x100}: binary; {@code 64x100t}: text). */
    static Payload of(String workload) {
        return workload.endsWith("t") ? TEXT : BINARY;
    }

    /** A message of exactly {@code size} bytes of this payload (at least one byte). */
    byte[] message(int size) {
        int n = Math.max(size, 1);
        if (this == BINARY) {
            byte[] bytes = new byte[n];
            new Random().nextBytes(bytes);
            return bytes;
        }
        return text(n);
    }

    /** Valid UTF-8 of exactly {@code n} bytes: words of 2–9 letters, spaces, ~10 % non-ASCII characters. */
    static byte[] text(int n) {
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
            if (random.nextInt(10) == 0) {
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
