package io.guestloop.websocket.internal;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;

import static io.guestloop.websocket.internal.Utf8ValidatorTest.direct;
import static io.guestloop.websocket.internal.Utf8ValidatorTest.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Utf8Validator} against references on generated inputs: the JDK's strict decoder on every
 * short sequence, the validator's own byte-at-a-time path, and a plain one-lookup-per-byte
 * automaton on random texts cut into pieces, at every buffer offset, kind and byte order. The
 * fixed cases are in {@link Utf8ValidatorTest}.
 */
class Utf8ValidatorDifferentialTest {

    @Test
    void agreesWithTheJdkDecoderOnEveryOneAndTwoByteSequence() {
        byte[] pair = new byte[2];
        for (int a = 0; a < 256; a++) {
            assertAgrees(new byte[] {(byte) a});
            for (int b = 0; b < 256; b++) {
                pair[0] = (byte) a;
                pair[1] = (byte) b;
                assertAgrees(pair);
            }
        }
    }

    @Test
    void agreesWithTheJdkDecoderOnEveryThreeByteSequenceWithAThreeByteLead() {
        byte[] triple = new byte[3];
        for (int a = 0xE0; a <= 0xEF; a++) {
            for (int b = 0x70; b < 0xD0; b++) {
                for (int c = 0x70; c < 0xD0; c++) {
                    triple[0] = (byte) a;
                    triple[1] = (byte) b;
                    triple[2] = (byte) c;
                    assertAgrees(triple);
                }
            }
        }
    }

    @Test
    void agreesWithTheJdkDecoderOnRandomFourByteSequences() {
        SplittableRandom random = new SplittableRandom(6455);
        byte[] quad = new byte[4];
        for (int i = 0; i < 200_000; i++) {
            quad[0] = (byte) (0xF0 + random.nextInt(8));
            for (int j = 1; j < 4; j++) {
                quad[j] = (byte) (0x70 + random.nextInt(0x60));
            }
            assertAgrees(quad);
        }
    }

    private static final CharsetDecoder STRICT = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

    private static void assertAgrees(byte[] bytes) {
        boolean jdk;
        try {
            STRICT.decode(ByteBuffer.wrap(bytes));
            jdk = true;
        } catch (CharacterCodingException e) {
            jdk = false;
        }
        Utf8Validator v = new Utf8Validator();
        boolean ours = v.feed(bytes, 0, bytes.length) < 0 && v.isComplete();
        assertEquals(jdk, ours, () -> HexFormat.of().formatHex(bytes));
    }

    // ---- the word-at-a-time path against the byte-at-a-time one ----

    @Test
    void fastPathAgreesWithTheByteAtATimePathOnRandomText() {
        SplittableRandom random = new SplittableRandom(19);
        for (int round = 0; round < 2_000; round++) {
            byte[] text = new byte[random.nextInt(1, 80)];
            for (int i = 0; i < text.length; i++) {
                // mostly ASCII, sometimes any byte: valid and invalid sequences both occur
                text[i] = (byte) (random.nextInt(10) == 0 ? random.nextInt(256) : random.nextInt(0x80));
            }
            int split = random.nextInt(text.length + 1);
            Utf8Validator reference = new Utf8Validator();
            int expected = reference.feed(text, 0, split);
            if (expected < 0) {
                expected = reference.feed(text, split, text.length);
            }
            Utf8Validator fast = new Utf8Validator();
            ByteBuffer buf = direct(text, 0);
            int actual = fast.feed(buf, 0, split);
            if (actual < 0) {
                actual = fast.feed(buf, split, text.length);
            }
            assertEquals(expected, actual, () -> HexFormat.of().formatHex(text) + " split at " + split);
            assertEquals(reference.isComplete(), fast.isComplete());
        }
    }

    // ---- differential: the word-at-a-time path against the plain automaton it replaced ----

    /**
     * The validator as it was before the word loop: one table lookup per byte, the same
     * contract (index of the first bad byte, failed until reset, pieces split anywhere).
     */
    private static final class ReferenceAutomaton {
        private static final int REJECT = 8;
        private static final byte[] TRANSITIONS = new byte[9 << 8];

        static {
            java.util.Arrays.fill(TRANSITIONS, (byte) REJECT);
            fill(0, 0x00, 0x7F, 0);
            fill(0, 0xC2, 0xDF, 1);
            fill(0, 0xE0, 0xE0, 4);
            fill(0, 0xE1, 0xEC, 2);
            fill(0, 0xED, 0xED, 5);
            fill(0, 0xEE, 0xEF, 2);
            fill(0, 0xF0, 0xF0, 6);
            fill(0, 0xF1, 0xF3, 3);
            fill(0, 0xF4, 0xF4, 7);
            fill(1, 0x80, 0xBF, 0);
            fill(2, 0x80, 0xBF, 1);
            fill(3, 0x80, 0xBF, 2);
            fill(4, 0xA0, 0xBF, 1);
            fill(5, 0x80, 0x9F, 1);
            fill(6, 0x90, 0xBF, 2);
            fill(7, 0x80, 0x8F, 2);
        }

        private static void fill(int state, int from, int to, int next) {
            for (int b = from; b <= to; b++) {
                TRANSITIONS[state << 8 | b] = (byte) next;
            }
        }

        private int state;

        int feed(byte[] bytes, int from, int to) {
            if (state == REJECT) {
                return from;
            }
            for (int i = from; i < to; i++) {
                state = TRANSITIONS[state << 8 | (bytes[i] & 0xFF)];
                if (state == REJECT) {
                    return i;
                }
            }
            return -1;
        }

        /** "complete", "incomplete" or "failed", as the validator's three predicates say. */
        String outcome() {
            return state == 0 ? "complete" : state == REJECT ? "failed" : "incomplete";
        }
    }

    private static String outcome(Utf8Validator v) {
        int says = (v.isComplete() ? 1 : 0) + (v.isIncomplete() ? 1 : 0) + (v.isFailed() ? 1 : 0);
        assertEquals(1, says, "exactly one of complete, incomplete, failed");
        return v.isComplete() ? "complete" : v.isFailed() ? "failed" : "incomplete";
    }

    /**
     * Feeds {@code text} in the pieces that {@code cuts} (ascending, inside the text) make, to both
     * implementations, the text lying at {@code offset} in a buffer ({@code direct} or heap), and
     * asserts the same answer for every piece and the same final state.
     */
    private static void assertSameAsReference(byte[] text, int[] cuts, int offset, boolean direct) {
        ByteBuffer buf = direct ? ByteBuffer.allocateDirect(offset + text.length + 3)
                : ByteBuffer.allocate(offset + text.length + 3);
        buf.put(offset, text);
        buf.put(offset + text.length, hex("80 FF 80")); // bad bytes just past the end must not be read
        assertSameAsReference(text, cuts, buf, offset);
    }

    /** As above, {@code buf} already holding {@code text} at {@code offset}. */
    private static void assertSameAsReference(byte[] text, int[] cuts, ByteBuffer buf, int offset) {
        boolean direct = buf.isDirect();
        ReferenceAutomaton reference = new ReferenceAutomaton();
        Utf8Validator fast = new Utf8Validator();
        int from = 0;
        for (int k = 0; k <= cuts.length; k++) {
            int to = k < cuts.length ? cuts[k] : text.length;
            int expected = reference.feed(text, from, to);
            int actual = fast.feed(buf, offset + from, offset + to);
            if (expected != (actual < 0 ? -1 : actual - offset)) {
                int piece = k;
                assertEquals(expected < 0 ? -1 : expected + offset, actual, () -> "piece " + piece + " of "
                        + HexFormat.of().formatHex(text) + " cut at " + java.util.Arrays.toString(cuts)
                        + ", offset " + offset + (direct ? " direct" : " heap"));
            }
            from = to;
        }
        assertEquals(reference.outcome(), outcome(fast), () -> HexFormat.of().formatHex(text)
                + " cut at " + java.util.Arrays.toString(cuts));
    }

    /** Code points at the edges of every encoding length and of the surrogate range. */
    private static final int[] EDGE_CODE_POINTS = {
        0x00, 0x7F, 0x80, 0x7FF, 0x800, 0xFFF, 0x1000, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF,
        0x10000, 0x3FFFF, 0x40000, 0xFFFFF, 0x100000, 0x10FFFF,
    };

    /** Invalid pieces: overlongs, surrogates, above U+10FFFF, bytes never allowed, strays, truncations. */
    private static final String[] BAD_PIECES = {
        "C0 80", "C1 BF", "E0 80 80", "E0 9F BF", "F0 80 80 80", "F0 8F BF BF",
        "ED A0 80", "ED BF BF", "F4 90 80 80", "F4 BF BF BF", "F5 80 80 80", "F7 BF BF BF",
        "F8 88 80 80 80", "FC 84 80 80 80 80", "FE", "FF", "80", "BF", "C2", "E2 82", "F0 9F 98",
        "C2 C2 A9", "E2 41 AC", "F0 9F 41 80", "E2 82 82 AC",
    };

    /** A random string that mixes ASCII runs, valid sequences of every length and (if asked) bad pieces. */
    private static byte[] randomText(SplittableRandom random, int pieces, boolean withBad) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int p = 0; p < pieces; p++) {
            int kind = random.nextInt(withBad ? 8 : 7);
            if (kind <= 1) {
                for (int n = random.nextInt(kind == 0 ? 4 : 24); n > 0; n--) {
                    out.write(0x20 + random.nextInt(0x5F));
                }
            } else if (kind <= 5) {
                int cp;
                switch (kind) {
                    case 2 -> cp = EDGE_CODE_POINTS[random.nextInt(EDGE_CODE_POINTS.length)];
                    case 3 -> cp = 0x80 + random.nextInt(0x800 - 0x80);
                    case 4 -> cp = 0x800 + random.nextInt(0x10000 - 0x800);
                    default -> cp = 0x10000 + random.nextInt(0x110000 - 0x10000);
                }
                if (cp >= 0xD800 && cp <= 0xDFFF) {
                    cp = 0xFFFD;
                }
                out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
            } else if (kind == 6) {
                for (int n = random.nextInt(1, 4); n > 0; n--) { // runs of one script: Greek, CJK, emoji
                    int base = new int[] {0x3B1, 0x4E2D, 0x1F600}[random.nextInt(3)];
                    out.writeBytes(new String(Character.toChars(base + random.nextInt(16))).getBytes(StandardCharsets.UTF_8));
                }
            } else if (random.nextInt(3) == 0) {
                out.write(random.nextInt(256)); // any byte at all
            } else {
                out.writeBytes(hex(BAD_PIECES[random.nextInt(BAD_PIECES.length)]));
            }
        }
        return out.toByteArray();
    }

    @Test
    void wordPathAgreesWithTheReferenceAutomatonFedWholeAndSplitAtEveryPosition() {
        SplittableRandom random = new SplittableRandom(0x75746638L);
        int failed = 0;
        for (int round = 0; round < 1_500; round++) {
            byte[] text = randomText(random, random.nextInt(1, 24), round % 3 != 0);
            int offset = random.nextInt(8);
            boolean direct = random.nextBoolean();
            assertSameAsReference(text, new int[0], offset, direct);
            for (int cut = 0; cut <= text.length; cut++) {
                assertSameAsReference(text, new int[] {cut}, offset, direct);
            }
            ReferenceAutomaton whole = new ReferenceAutomaton();
            whole.feed(text, 0, text.length);
            failed += whole.outcome().equals("failed") ? 1 : 0;
        }
        // the generator must produce both kinds, or the comparison proves little
        assertTrue(failed > 300 && failed < 1_200, "rejected texts: " + failed);
    }

    @Test
    void wordPathAgreesWithTheReferenceAutomatonOnLongTextsCutAtRandomPositions() {
        SplittableRandom random = new SplittableRandom(0x6d697865L);
        for (int round = 0; round < 3_000; round++) {
            byte[] text = randomText(random, random.nextInt(10, 120), round % 2 == 0);
            int[] cuts = random.ints(random.nextInt(6), 0, text.length + 1).sorted().toArray();
            assertSameAsReference(text, cuts, random.nextInt(8), random.nextBoolean());
        }
    }

    @Test
    void wordPathReadsTheBytesInTheirOrderWhateverTheBufferByteOrder() {
        SplittableRandom random = new SplittableRandom(0x4c45L);
        for (int round = 0; round < 2_000; round++) {
            byte[] text = randomText(random, random.nextInt(4, 60), round % 2 == 0);
            int offset = random.nextInt(8);
            ByteBuffer buf = (round % 4 < 2 ? ByteBuffer.allocateDirect(offset + text.length + 3)
                    : ByteBuffer.allocate(offset + text.length + 3)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            buf.put(offset, text);
            buf.put(offset + text.length, hex("80 FF 80"));
            int[] cuts = random.ints(random.nextInt(3), 0, text.length + 1).sorted().toArray();
            assertSameAsReference(text, cuts, buf, offset);
        }
    }

    @Test
    void wordPathAgreesWithTheReferenceAutomatonOnEveryLeadAndSecondByteAtEveryWordPosition() {
        byte[] text = new byte[40];
        ByteBuffer buf = ByteBuffer.allocateDirect(text.length + 3);
        buf.put(text.length, hex("80 FF 80"));
        int[] thirds = {0x41, 0x80, 0x9F, 0xA0, 0xBF, 0xC0};
        int[] fourths = {0x20, 0x80, 0xBF};
        // the first byte of a word, the middle, the last four (sequences cut by the word) and the next word
        for (int at : new int[] {0, 3, 5, 6, 7, 12, 15}) {
            java.util.Arrays.fill(text, (byte) 'a');
            for (int lead = 0x80; lead <= 0xFF; lead++) {
                for (int second = 0; second <= 0xFF; second++) {
                    for (int third : thirds) {
                        for (int fourth : fourths) {
                            text[at] = (byte) lead;
                            text[at + 1] = (byte) second;
                            text[at + 2] = (byte) third;
                            text[at + 3] = (byte) fourth;
                            buf.put(0, text);
                            assertSameAsReference(text, new int[0], buf, 0);
                        }
                    }
                }
            }
        }
    }

    @Test
    void wordPathAgreesOnTheBenchmarkKindsOfTextCutIntoFramesOfEverySmallSize() {
        SplittableRandom random = new SplittableRandom(10);
        byte[] prose = randomText(random, 400, false);
        for (int frame = 1; frame <= 40; frame++) {
            int step = frame;
            int[] cuts = java.util.stream.IntStream.iterate(step, c -> c < prose.length, c -> c + step).toArray();
            assertSameAsReference(prose, cuts, frame % 8, true);
        }
    }
}
