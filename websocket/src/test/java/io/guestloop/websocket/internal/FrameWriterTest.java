package io.guestloop.websocket.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameWriterTest {

    private static byte[] write(FrameWriter writer, boolean fin, int opcode, byte[] payload) {
        ByteBuffer dst = ByteBuffer.allocate(writer.frameSize(payload.length));
        writer.write(dst, fin, opcode, ByteBuffer.wrap(payload));
        assertEquals(0, dst.remaining(), "frameSize is exact");
        return dst.array();
    }

    @ParameterizedTest
    @CsvSource({"0,2,0", "125,2,125", "126,4,126", "65535,4,126", "65536,10,127", "100000,10,127"})
    void usesTheShortestLengthForm(int length, int headerSize, int lengthCode) {
        byte[] frame = write(new FrameWriter(false), true, Opcode.BINARY, Frames.payload(length));
        assertEquals(headerSize + length, frame.length);
        assertEquals((byte) 0x82, frame[0]);
        assertEquals(lengthCode, frame[1]);
        assertArrayEquals(Frames.frame(0x82, false, Frames.payload(length)), frame);
    }

    @ParameterizedTest
    @CsvSource({"0", "125", "126", "65535", "65536"})
    void serverHeaderWrittenApartIsTheHeaderOfTheWholeFrame(int length) {
        byte[] payload = Frames.payload(length);
        byte[] whole = write(new FrameWriter(false), true, Opcode.BINARY, payload);
        ByteBuffer header = ByteBuffer.allocate(14);
        new FrameWriter(false).writeHeader(header, true, Opcode.BINARY, length);
        header.flip();
        assertEquals(FrameWriter.headerSize(length, false), header.remaining());
        ByteBuffer joined = ByteBuffer.allocate(header.remaining() + length).put(header).put(payload);
        assertArrayEquals(whole, joined.array());
    }

    @Test
    void aMaskingWriterRefusesToWriteAHeaderApart() {
        FrameWriter client = new FrameWriter(true);
        assertTrue(client.masks());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> client.writeHeader(ByteBuffer.allocate(14), true, Opcode.BINARY, 3));
    }

    @Test
    void clientMasksWithTheKeyItWrites() {
        FrameWriter writer = new FrameWriter(true, () -> Frames.KEY);
        byte[] body = Frames.payload(300);
        byte[] frame = write(writer, false, Opcode.TEXT, body);
        assertArrayEquals(Frames.frame(0x01, true, body), frame);
    }

    @Test
    void clientUsesAFreshKeyPerFrame() {
        FrameWriter writer = new FrameWriter(true);
        byte[] a = write(writer, true, Opcode.BINARY, new byte[4]);
        byte[] b = write(writer, true, Opcode.BINARY, new byte[4]);
        byte[] c = write(writer, true, Opcode.BINARY, new byte[4]);
        // a zero payload masked shows the key; three equal keys in a row would be a broken generator
        assertTrue(!java.util.Arrays.equals(a, b) || !java.util.Arrays.equals(b, c));
    }

    @Test
    void leavesTheCallersPayloadUnchanged() {
        byte[] body = Frames.payload(50);
        byte[] copy = body.clone();
        write(new FrameWriter(true), true, Opcode.BINARY, body);
        assertArrayEquals(copy, body);
    }

    @Test
    void roundTripsThroughTheParserOfTheOtherRole() {
        for (boolean clientSide : new boolean[] {true, false}) {
            RecordingFrameListener rec = new RecordingFrameListener();
            FrameParser parser = new FrameParser(clientSide, 1 << 20, 1 << 20, rec);
            FrameWriter writer = new FrameWriter(clientSide);
            for (int length : new int[] {0, 125, 126, 65535, 65536}) {
                parser.feed(ByteBuffer.wrap(write(writer, true, Opcode.BINARY, Frames.payload(length))));
            }
            assertEquals(List.of("binary", "end:0", "binary", "end:125", "binary", "end:126", "binary", "end:65535",
                    "binary", "end:65536"), rec.events);
            assertArrayEquals(Frames.payload(65536), rec.messages.get(4));
        }
    }

    @Test
    void closePayloadCutsALongReasonAtACodePointBoundary() {
        ByteBuffer payload = FrameWriter.closePayload(1001, "é".repeat(100));
        assertTrue(payload.remaining() <= 125);
        assertEquals(1001, payload.getShort(0));
        byte[] reason = new byte[payload.remaining() - 2];
        payload.position(2);
        payload.get(reason);
        Utf8Validator v = new Utf8Validator();
        assertEquals(-1, v.feed(reason, 0, reason.length));
        assertTrue(v.isComplete());
        assertEquals("é".repeat(61), new String(reason, StandardCharsets.UTF_8));
    }
}
