package io.guestloop.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generator's lean framing: its client frames are valid masked frames, and echoes are counted and checked. */
class LeanFramesTest {

    @ParameterizedTest(name = "{0} B")
    @ValueSource(ints = {1, 64, 125, 126, 16 * 1024, 65535, 65536})
    void poolFramesAreMaskedBinaryFramesThatUnmaskToThePayload(int size) {
        byte[] payload = payload(size);
        LeanFrames frames = new LeanFrames(payload);
        Set<Integer> keys = new HashSet<>();
        for (int f = 0; f < 16; f++) {
            ByteBuf frame = frames.next();
            assertEquals(0x82, frame.readUnsignedByte(), "FIN + binary");
            int b1 = frame.readUnsignedByte();
            assertEquals(0x80, b1 & 0x80, "client frames are masked");
            long length = (b1 & 0x7f) < 126 ? b1 & 0x7f : (b1 & 0x7f) == 126 ? frame.readUnsignedShort() : frame.readLong();
            assertEquals(size, length);
            byte[] key = new byte[4];
            frame.readBytes(key);
            keys.add(java.nio.ByteBuffer.wrap(key).getInt());
            byte[] unmasked = new byte[size];
            for (int i = 0; i < size; i++) {
                unmasked[i] = (byte) (frame.readByte() ^ key[i & 3]);
            }
            assertArrayEquals(payload, unmasked);
            assertEquals(0, frame.readableBytes(), "one frame per slice");
        }
        assertTrue(keys.size() > 12, "frames carry keys of their own, got " + keys.size() + " distinct of 16");
    }

    @ParameterizedTest(name = "{0} B")
    @ValueSource(ints = {64, 16 * 1024, 65536})
    void aBatchIsConsecutiveWholeFramesAndStopsAtThePoolsEnd(int size) {
        LeanFrames frames = new LeanFrames(payload(size));
        ByteBuf one = frames.next();
        int frameLength = one.readableBytes();
        int handedOut = 1;
        // Ask for batches of 3 until the pool wraps: every batch is whole frames, the same bytes as
        // the frames one at a time, and one batch ends exactly at the pool's end.
        boolean shortBatch = false;
        for (int b = 0; b < 2000 && !shortBatch; b++) {
            ByteBuf run = frames.next(3);
            int n = frames.framesIn(run);
            assertTrue(n >= 1 && n <= 3, "1 to 3 frames, got " + n);
            assertEquals(n * frameLength, run.readableBytes(), "whole frames only");
            shortBatch = n < 3;
            handedOut += n;
        }
        assertTrue(shortBatch, "a batch stops at the pool's end");
        assertTrue(io.netty.buffer.ByteBufUtil.equals(one, frames.next(1)), "after the end the pool starts again at its first frame");
        assertTrue(handedOut > 3, "several batches before the end: " + handedOut);
    }

    @ParameterizedTest(name = "{0} B")
    @ValueSource(ints = {64, 16 * 1024, 65536})
    void countsEchoesWhateverTheReadBoundaries(int size) {
        ByteBuf stream = Unpooled.buffer();
        for (int i = 0; i < 5; i++) {
            stream.writeBytes(echo(size));
        }
        for (int chunk : new int[] {1, 3, 7, 66, 1000, stream.readableBytes()}) {
            LeanFrames.Counter counter = new LeanFrames(payload(size)).counter();
            ByteBuf copy = stream.duplicate();
            int counted = 0;
            while (copy.isReadable()) {
                counted += counter.feed(copy.readSlice(Math.min(chunk, copy.readableBytes())));
            }
            assertEquals(5, counted, "reads of " + chunk + " bytes");
        }
    }

    @Test
    void anythingButTheExpectedEchoIsAnError() {
        LeanFrames.Counter counter = new LeanFrames(payload(64)).counter();
        ByteBuf ping = Unpooled.wrappedBuffer(new byte[] {(byte) 0x89, 0});
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> counter.feed(ping));
        assertTrue(e.getMessage().contains("0x89"), e.getMessage());

        LeanFrames.Counter other = new LeanFrames(payload(64)).counter();
        ByteBuf shortEcho = Unpooled.wrappedBuffer(new byte[] {(byte) 0x82, 63});
        assertThrows(IllegalStateException.class, () -> other.feed(shortEcho), "a wrong length is refused");
    }

    @Test
    void textFramesGoOutAsTextAndOnlyTextEchoesCount() {
        byte[] text = Payload.TEXT.message(300);
        LeanFrames frames = new LeanFrames(text, Payload.TEXT);
        ByteBuf frame = frames.next();
        assertEquals(0x81, frame.readUnsignedByte(), "FIN + text");
        assertEquals(0x80 | 126, frame.readUnsignedByte());
        assertEquals(300, frame.readUnsignedShort());

        ByteBuf textEcho = Unpooled.buffer().writeByte(0x81).writeByte(126).writeShort(300).writeBytes(text);
        assertEquals(1, frames.counter().feed(textEcho));
        ByteBuf binaryEcho = Unpooled.buffer().writeByte(0x82).writeByte(126).writeShort(300).writeBytes(text);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> frames.counter().feed(binaryEcho));
        assertTrue(e.getMessage().contains("0x82"), e.getMessage());
    }

    private static byte[] payload(int size) {
        byte[] p = new byte[size];
        for (int i = 0; i < size; i++) {
            p[i] = (byte) (i * 31 + 7);
        }
        return p;
    }

    /** An unmasked binary frame of {@code size} bytes, as a server sends it. */
    private static ByteBuf echo(int size) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(0x82);
        if (size < 126) {
            b.writeByte(size);
        } else if (size < 65536) {
            b.writeByte(126).writeShort(size);
        } else {
            b.writeByte(127).writeLong(size);
        }
        return b.writeBytes(payload(size));
    }
}
