package io.guestloop.websocket.internal;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageAssemblerTest {

    private static ByteBuffer readBuffer(String content) {
        ByteBuffer b = ByteBuffer.allocateDirect(64);
        b.put("head".getBytes(StandardCharsets.US_ASCII)).put(content.getBytes(StandardCharsets.UTF_8)).put((byte) '#');
        return b.flip().position(4).limit(4 + content.getBytes(StandardCharsets.UTF_8).length);
    }

    private static String string(ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void aMessageInOnePieceIsHandedOverReadOnlyFromWhereItLies() {
        MessageAssembler m = new MessageAssembler();
        ByteBuffer read = readBuffer("whole");
        m.append(read);
        ByteBuffer message = m.message();
        assertTrue(message.isReadOnly());
        assertEquals("whole", string(message));
        assertEquals(4, message.position(), "a view of the piece where it lies, not a copy");
        assertEquals("whole", m.text());
    }

    @Test
    void aPieceLeftWhenTheFeedEndsIsCopiedBeforeTheBufferIsReused() {
        MessageAssembler m = new MessageAssembler();
        ByteBuffer read = readBuffer("first ");
        m.append(read);
        m.detach();
        read.clear().put(new byte[64]); // the next read overwrites the buffer
        m.append(readBuffer("second"));
        assertEquals("first second", string(m.message()));
    }

    @Test
    void twoPiecesOfOneFeedAreJoinedAndTheNextMessageReusesTheBuffer() {
        MessageAssembler m = new MessageAssembler();
        m.append(readBuffer("a€"));
        m.append(readBuffer("z"));
        assertEquals("a€z", m.text());
        ByteBuffer first = m.message();
        m.reset();
        m.append(readBuffer("b"));
        m.append(readBuffer("c"));
        ByteBuffer second = m.message();
        assertEquals("bc", string(second));
        assertSame(first, second, "one view of the assembler's own buffer, reused");
    }

    @Test
    void anEmptyMessageIsAnEmptyReadOnlyBuffer() {
        MessageAssembler m = new MessageAssembler();
        assertEquals(0, m.message().remaining());
        assertTrue(m.message().isReadOnly());
        assertEquals("", m.text());
    }
}
