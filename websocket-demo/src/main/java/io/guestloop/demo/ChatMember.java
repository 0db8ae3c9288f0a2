package io.guestloop.demo;

import io.guestloop.websocket.WebSocket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One chat member: its name, the first {@link ChatLimits#MAX_INPUT_BYTES} bytes of the message it is
 * sending (the rest is not kept), and the one line it said that has not yet reached every room.
 * While such a line waits for a full room, the member's socket is paused, so the member can say
 * nothing more and TCP holds it back; once every room took the line, the socket resumes. So a
 * member that floods costs the server one line, not a queue of them, and loses none.
 *
 * <p><b>Threading:</b> the member's service thread only; its {@link ChatRoom} posts
 * {@link #retry()} back to it from the full room's thread.
 */
final class ChatMember {

    private final String name;
    private final WebSocket socket;
    private final ChatRoom home;
    private final ChatRooms rooms;
    private final byte[] input = new byte[ChatLimits.MAX_INPUT_BYTES];
    private int inputLength;
    private boolean inputCut;
    /** The line on its way to the rooms still in {@link #waiting}, or null. */
    private String pending;
    private final Deque<ChatRoom> waiting = new ArrayDeque<>();
    private boolean gone;

    ChatMember(String name, WebSocket socket, ChatRoom home, ChatRooms rooms) {
        this.name = name;
        this.socket = socket;
        this.home = home;
        this.rooms = rooms;
    }

    String name() {
        return name;
    }

    ChatRoom home() {
        return home;
    }

    /** The next part of the member's message: kept up to {@link ChatLimits#MAX_INPUT_BYTES}, the rest dropped. */
    void take(ByteBuffer part) {
        int n = Math.min(part.remaining(), input.length - inputLength);
        part.get(input, inputLength, n);
        inputLength += n;
        if (part.hasRemaining()) {
            inputCut = true;
            part.position(part.limit());
        }
    }

    /**
     * The message taken so far as one chat line: trimmed, cut to {@link ChatLimits#MAX_LINE}
     * characters with an ellipsis, empty when there was nothing but blanks. Starts the next message.
     */
    String line() {
        int end = inputCut ? completeUtf8(input, inputLength) : inputLength;
        String line = new String(input, 0, end, StandardCharsets.UTF_8).strip();
        boolean cut = inputCut;
        inputLength = 0;
        inputCut = false;
        if (line.length() > ChatLimits.MAX_LINE) {
            line = line.substring(0, ChatLimits.MAX_LINE);
            cut = true;
        }
        return cut && !line.isEmpty() ? line + "…" : line;
    }

    /**
     * Sends {@code json} to every room, in order; a full room keeps the member paused until it took
     * the line. A member never has two lines on their way: its socket is paused while one is.
     */
    void say(String json) {
        if (gone || pending != null) {
            return; // input is paused while a line is pending, so this is input that came with a close
        }
        pending = json;
        waiting.addAll(rooms.all());
        deliver();
    }

    /** A room this member waited for has room again. */
    void retry() {
        if (gone || pending == null) {
            return;
        }
        if (!socket.isOpen()) {
            leave(); // closing (the server shuts down): pausing now would hold back the peer's close
            return;
        }
        deliver();
    }

    /** The member's socket closed: a line still on its way is dropped with it. */
    void leave() {
        gone = true;
        pending = null;
        waiting.clear();
    }

    private void deliver() {
        while (!waiting.isEmpty()) {
            ChatRoom room = waiting.peek();
            if (room.offer(pending)) {
                waiting.poll();
            } else if (room.whenRoom(() -> home.retry(this))) {
                socket.pause(); // one room at a time, so at most one wait per member
                return;
            } else {
                waiting.poll(); // the room's thread is stopping: nobody there to tell
            }
        }
        pending = null;
        socket.resume();
    }

    /** The length of the longest prefix of {@code b[0..length)} that does not end inside a UTF-8 sequence. */
    static int completeUtf8(byte[] b, int length) {
        int lead = length - 1;
        while (lead >= 0 && (b[lead] & 0xC0) == 0x80) {
            lead--;
        }
        if (lead < 0) {
            return 0;
        }
        int first = b[lead] & 0xFF;
        int size = first < 0x80 ? 1 : first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : 2;
        return lead + size <= length ? length : lead;
    }
}
