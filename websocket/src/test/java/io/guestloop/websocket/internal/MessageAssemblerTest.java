package io.guestloop.websocket.internal;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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

    @Test
    void sourceUnderNamesTheBufferOnlyForTheHandedViewOverTheMessage() {
        MessageAssembler m = new MessageAssembler();
        ByteBuffer read = readBuffer("whole");
        m.append(read);
        ByteBuffer message = m.message();
        assertSame(read, m.sourceUnder(message));
        assertNull(m.sourceUnder(message.duplicate()), "another view");
        assertNull(m.sourceUnder(message.limit(message.limit() + 1)), "past the message: the '#' after it");
        message.limit(message.limit() - 1);
        m.reset();
        assertNull(m.sourceUnder(message), "the message is gone");
    }

    @Test
    void aHeldHeapCopyIsNotKeptAliveByAViewOnceItsMessageIsDone() {
        MessageAssembler m = new MessageAssembler();
        ByteBuffer held = ByteBuffer.allocate(64).put("held".getBytes(StandardCharsets.US_ASCII)).flip();
        java.lang.ref.WeakReference<ByteBuffer> gone = new java.lang.ref.WeakReference<>(held);
        m.append(held);
        assertEquals("held", string(m.message()));
        m.reset();
        held = null;
        for (int i = 0; i < 20 && gone.get() != null; i++) {
            System.gc();
        }
        assertNull(gone.get(), "the assembler still holds the dropped copy");
    }
}
