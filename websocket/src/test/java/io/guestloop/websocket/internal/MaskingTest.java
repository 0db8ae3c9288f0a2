package io.guestloop.websocket.internal;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class MaskingTest {

    private static byte[] naive(byte[] data, int key, long offset) {
        byte[] out = data.clone();
        for (int i = 0; i < out.length; i++) {
            int keyByte = key >>> (24 - 8 * (int) ((offset + i) & 3));
            out[i] ^= (byte) keyByte;
        }
        return out;
    }

    @Test
    void matchesTheByteByByteDefinitionForEveryLengthAndOffset() {
        int key = 0xA1B2C3D4;
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            for (int length = 0; length <= 40; length++) {
                for (long offset = 0; offset < 8; offset++) {
                    byte[] data = Frames.payload(length + 3);
                    byte[] expected = naive(java.util.Arrays.copyOfRange(data, 3, data.length), key, offset);
                    ByteBuffer buf = ByteBuffer.wrap(data).order(order);
                    Masking.apply(buf, 3, 3 + length, key, offset);
                    assertArrayEquals(expected, java.util.Arrays.copyOfRange(data, 3, data.length),
                            "order " + order + " length " + length + " offset " + offset);
                }
            }
        }
    }

    @Test
    void maskingTwiceRestoresTheData() {
        byte[] data = Frames.payload(1000);
        byte[] copy = data.clone();
        Masking.apply(copy, 0, copy.length, 0x12345678, 0);
        Masking.apply(copy, 0, copy.length, 0x12345678, 0);
        assertArrayEquals(data, copy);
    }

    @Test
    void worksOnDirectBuffers() {
        byte[] data = Frames.payload(37);
        ByteBuffer direct = ByteBuffer.allocateDirect(37).put(data).flip();
        Masking.apply(direct, 0, 37, 0x0BADF00D, 2);
        byte[] got = new byte[37];
        direct.get(got);
        assertArrayEquals(naive(data, 0x0BADF00D, 2), got);
    }

    @Test
    void saysWhetherEveryByteItWroteIsAscii() {
        int key = 0x11223344;
        for (int length = 0; length <= 40; length++) {
            for (int high = -1; high < length; high++) {
                byte[] plain = new byte[length + 3];
                java.util.Arrays.fill(plain, (byte) 'a');
                if (high >= 0) {
                    plain[3 + high] = (byte) 0xC3;
                }
                byte[] wire = plain.clone();
                Masking.apply(ByteBuffer.wrap(wire), 3, wire.length, key, 1); // masks: the same transform
                boolean ascii = Masking.apply(ByteBuffer.allocateDirect(wire.length).put(wire).clear(), 3, wire.length, key, 1);
                assertEquals(high < 0, ascii, "length " + length + ", non-ASCII byte at " + high);
            }
        }
    }
}
