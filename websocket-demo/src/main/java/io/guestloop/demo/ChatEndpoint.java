package io.guestloop.demo;

import io.guestloop.ServiceThread;
import io.guestloop.websocket.WebSocket;
import io.guestloop.websocket.WebSocketEndpoint;

import java.nio.ByteBuffer;

/**
 * {@code /ws/chat}: each connection is a member with a fresh name; it is first told who it is and
 * which backend and service thread serve it, then receives every line said by anyone, its own
 * included, and the server clock's lines. A text message from a member is one chat line (trimmed,
 * cut to {@value ChatLimits#MAX_LINE} characters, ignored when empty); binary messages are ignored.
 *
 * <p>Messages are taken in parts ({@link #streamsMessages()}), so that a member's message costs at
 * most {@value ChatLimits#MAX_INPUT_BYTES} bytes however long it is; and a member whose line finds a
 * room full is paused until the line got through ({@link ChatMember}).
 *
 * <p><b>Threading:</b> called on each connection's service thread; shares only the thread-safe
 * {@link ChatRooms} between threads.
 */
final class ChatEndpoint implements WebSocketEndpoint {

    private final ChatRooms rooms;
    private final int nativePort;

    ChatEndpoint(ChatRooms rooms, int nativePort) {
        this.rooms = rooms;
        this.nativePort = nativePort;
    }

    @Override
    public boolean streamsMessages() {
        return true;
    }

    @Override
    public void onOpen(WebSocket socket) {
        ChatRoom room = rooms.roomOf(socket.serviceThread());
        ChatMember me = new ChatMember(rooms.nextVisitorName(), socket, room, rooms);
        socket.attach(me);
        ServiceThread t = socket.serviceThread();
        socket.sendText(ChatJson.welcome(me.name(), t.context().backendName(), t.name(), t.index(),
                t.context().serviceThreads().size(), nativePort));
        room.join(socket);
        me.say(ChatJson.join(me.name()));
    }

    @Override
    public void onMessagePart(WebSocket socket, ByteBuffer part, boolean text, boolean last) {
        ChatMember me = socket.attachment();
        // Not a member yet, binary, or said while the socket closes: dropped.
        if (me == null || !text || !socket.isOpen()) {
            return;
        }
        me.take(part);
        if (last) {
            String line = me.line();
            if (!line.isEmpty()) {
                me.say(ChatJson.chat(me.name(), socket.serviceThread().name(), line));
            }
        }
    }

    @Override
    public void onClose(WebSocket socket, int code, String reason) {
        ChatMember me = socket.attachment();
        if (me != null) {
            me.leave();
            me.home().forget(socket);
            rooms.broadcast(ChatJson.leave(me.name()));
        }
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
        PeerErrors.report(socket, error);
    }
}
