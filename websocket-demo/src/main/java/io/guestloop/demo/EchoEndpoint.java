package io.guestloop.demo;

import io.guestloop.websocket.WebSocket;
import io.guestloop.websocket.WebSocketEndpoint;

import java.nio.ByteBuffer;

/**
 * {@code /ws/echo}: sends every message back as it came, text as text and binary as binary. A
 * message refused because the peer reads too slowly is dropped (the client sees fewer echoes, the
 * server's memory stays bounded).
 *
 * <p><b>Threading:</b> called on each connection's service thread; keeps no state of its own.
 */
final class EchoEndpoint implements WebSocketEndpoint {

    private final ChatRooms rooms;

    EchoEndpoint(ChatRooms rooms) {
        this.rooms = rooms;
    }

    @Override
    public void onOpen(WebSocket socket) {
        // Tracked only so that shutdown can close it with 1001 like the chat's sockets.
        ChatRoom room = rooms.roomOf(socket.serviceThread());
        if (room.track(socket)) {
            socket.attach(room);
        }
    }

    @Override
    public void onText(WebSocket socket, String text) {
        socket.sendText(text);
    }

    @Override
    public void onBinary(WebSocket socket, ByteBuffer data) {
        socket.sendBinary(data);
    }

    @Override
    public void onClose(WebSocket socket, int code, String reason) {
        ChatRoom room = socket.attachment();
        if (room != null) {
            room.forget(socket);
        }
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
        PeerErrors.report(socket, error);
    }
}
