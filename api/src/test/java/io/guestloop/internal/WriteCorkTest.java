package io.guestloop.internal;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the cork copies and what it sends from where it lies. A run of the input buffer is taken
 * as a reference: changing those bytes after the write shows in what the cork would send, which is
 * how these tests tell a reference from a copy.
 */
class WriteCorkTest {

    private final WriteCork cork = new WriteCork();
    private final ByteBuffer input = ByteBuffer.allocateDirect(64 * 1024);

    WriteCorkTest() {
        for (int i = 0; i < input.capacity(); i++) {
            input.put(i, (byte) i);
        }
    }

    @Test
    void aLongRunOfTheInputBufferIsSentFromWhereItLiesBetweenCopiedHeaders() {
        cork.input(input);
        ByteBuffer header = ByteBuffer.wrap(new byte[] {1, 2});
        assertTrue(offer(header, range(100, 100 + 4096)));
        assertTrue(offer(ByteBuffer.wrap(new byte[] {3}), range(8000, 8000 + 3000)));
        assertTrue(cork.holdsInput());
        assertEquals(2 + 4096 + 1 + 3000, cork.collectedBytes());
        input.put(200, (byte) 99); // a reference sees it; a copy would not
        byte[] sent = sent();
        byte[] expected = concat(new byte[] {1, 2}, bytes(100, 4096), new byte[] {3}, bytes(8000, 3000));
        expected[2 + 100] = 99;
        assertArrayEquals(expected, sent);
    }

    @Test
    void theWrittenRangeIsTakenAndTheRestOfTheInputIsNot() {
        cork.input(input);
        ByteBuffer run = range(0, 5000);
        assertTrue(offer(run));
        assertEquals(5000, run.position(), "taken, as a copy would have taken it");
        input.limit(input.capacity()).put(6000, (byte) 7); // beyond the run: not what is sent
        assertArrayEquals(bytes(0, 5000), sent());
    }

    @Test
    void viewsShortRunsAndWritesWithoutAnInputAreCopied() {
        cork.input(input);
        assertTrue(offer(range(0, 4096).duplicate()));
        assertTrue(offer(range(10_000, 10_000 + WriteCork.REFERENCE_MIN - 1)));
        assertFalse(cork.holdsInput(), "nothing referenced");
        cork.input(null);
        assertTrue(offer(range(20_000, 24_000)));
        assertFalse(cork.holdsInput(), "no input set: copied");
        input.clear();
        for (int i = 0; i < input.capacity(); i++) {
            input.put(i, (byte) 0); // copies keep what was written
        }
        assertArrayEquals(concat(pattern(0, 4096), pattern(10_000, WriteCork.REFERENCE_MIN - 1), pattern(20_000, 4000)), sent());
    }

    @Test
    void theGatherHoldsTheCollectedPiecesThenTheNewBuffers() {
        cork.input(input);
        assertTrue(offer(ByteBuffer.wrap(new byte[] {5}), range(0, 3000)));
        ByteBuffer next = ByteBuffer.wrap(new byte[] {6, 6});
        int n = cork.collect(new ByteBuffer[] {next}, 1);
        assertEquals(3, n);
        assertEquals(1, cork.gathered()[0].remaining());
        assertEquals(3000, cork.gathered()[1].remaining());
        assertEquals(next, cork.gathered()[2]);
        cork.reset();
        assertTrue(cork.isEmpty());
        assertFalse(cork.holdsInput());
        assertEquals(0, cork.collectedBytes());
    }

    @Test
    void tooManyPiecesOrTooMuchToCopyIsRefusedWithNothingTaken() {
        cork.input(input);
        int offered = 0;
        while (offer(ByteBuffer.wrap(new byte[] {1}), range(offered * 2048, offered * 2048 + 2048))) {
            offered++;
        }
        assertEquals((WriteCork.MAX_PIECES - 1) / 2, offered, "two pieces a write (header, run), one kept for copies after");
        ByteBuffer refused = range(0, 2048);
        assertFalse(offer(refused));
        assertEquals(0, refused.position(), "nothing taken");
        cork.reset();
        ByteBuffer big = ByteBuffer.allocate(WriteCork.COPY_LIMIT + 1);
        assertFalse(offer(big));
        assertEquals(0, big.position());
    }

    private boolean offer(ByteBuffer... data) {
        long total = 0;
        for (ByteBuffer b : data) {
            total += b.remaining();
        }
        return cork.offer(data, data.length, total);
    }

    /** The input buffer itself, over {@code [from, to)}. */
    private ByteBuffer range(int from, int to) {
        input.limit(input.capacity()).position(from);
        return input.limit(to);
    }

    private byte[] bytes(int from, int n) {
        byte[] b = new byte[n];
        input.duplicate().clear().position(from).get(b);
        return b;
    }

    private static byte[] pattern(int from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    /** What a release would send; the cork is empty after. */
    private byte[] sent() {
        int n = cork.collect(null, 0);
        byte[][] parts = new byte[n][];
        for (int i = 0; i < n; i++) {
            ByteBuffer b = cork.gathered()[i].duplicate();
            parts[i] = new byte[b.remaining()];
            b.get(parts[i]);
        }
        cork.reset();
        return concat(parts);
    }

    private static byte[] concat(byte[]... parts) {
        int total = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        ByteBuffer all = ByteBuffer.allocate(total);
        for (byte[] p : parts) {
            all.put(p);
        }
        return all.array();
    }
}
