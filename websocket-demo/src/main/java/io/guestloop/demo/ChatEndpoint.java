package io.guestloop.demo;

import io.guestloop.ServiceThread;
import io.guestloop.websocket.WebSocket;
import io.guestloop.websocket.WebSocketEndpoint;

/**
 * {@code /ws/chat}: each connection is a member with a fresh name; it is first told who it is and
 * which backend and service thread serve it, then receives every line said by anyone, its own
 * included, and the server clock's lines. A text message from a member is one chat line (trimmed,
 * cut to {@value #MAX_LINE} characters, ignored when empty).
 *
 * <p><b>Threading:</b> called on each connection's service thread; shares only the thread-safe
 * {@link ChatRooms} between threads.
 */
final class ChatEndpoint implements WebSocketEndpoint {

    static final int MAX_LINE = 500;

    private final ChatRooms rooms;
    private final int nativePort;

    ChatEndpoint(ChatRooms rooms, int nativePort) {
        this.rooms = rooms;
        this.nativePort = nativePort;
    }

    private record Member(String name, ChatRoom room) {
    }

    @Override
    public void onOpen(WebSocket socket) {
        ChatRoom room = rooms.roomOf(socket.serviceThread());
        if (!room.track(socket)) {
            return;
        }
        String name = rooms.nextVisitorName();
        socket.attach(new Member(name, room));
        ServiceThread t = socket.serviceThread();
        socket.sendText(ChatJson.welcome(name, t.context().backendName(), t.name(), t.index(),
                t.context().serviceThreads().size(), nativePort));
        room.join(socket);
        rooms.broadcast(ChatJson.join(name));
    }

    @Override
    public void onText(WebSocket socket, String text) {
        Member me = socket.attachment();
        if (me == null) {
            return;
        }
        String line = text.strip();
        if (line.isEmpty()) {
            return;
        }
        if (line.length() > MAX_LINE) {
            line = line.substring(0, MAX_LINE) + "…";
        }
        rooms.broadcast(ChatJson.chat(me.name(), socket.serviceThread().name(), line));
    }

    @Override
    public void onClose(WebSocket socket, int code, String reason) {
        Member me = socket.attachment();
        if (me != null) {   // null: refused during shutdown, never tracked
            me.room().forget(socket);
            rooms.broadcast(ChatJson.leave(me.name()));
        }
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
        PeerErrors.report(socket, error);
    }
}
