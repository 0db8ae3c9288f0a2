package io.guestloop.demo;

import io.guestloop.websocket.WebSocket;
import io.guestloop.websocket.WebSocketEndpoint;

import java.nio.ByteBuffer;

/**
 * {@code /ws/echo}: sends every message back as it came, text as text and binary as binary. When
 * the peer reads more slowly than it sends, the echo's write queue fills: the socket is then paused
 * until the queue drained, so the peer is held back by TCP, no echo is lost and the server's memory
 * stays at one write queue and one message per connection.
 *
 * <p><b>Threading:</b> called on each connection's service thread; keeps no state of its own.
 */
final class EchoEndpoint implements WebSocketEndpoint {

    @Override
    public void onText(WebSocket socket, String text) {
        socket.sendText(text);
        holdBackIfFull(socket);
    }

    @Override
    public void onBinary(WebSocket socket, ByteBuffer data) {
        socket.sendBinary(data);
        holdBackIfFull(socket);
    }

    /**
     * The queue reached its high-water mark: no more input until it drains, so the next message can
     * be sent (a send is refused only while the queue is full; a closing socket is left reading, so
     * that the peer's close frame gets through).
     */
    private static void holdBackIfFull(WebSocket socket) {
        if (socket.isOpen() && !socket.isWritable()) {
            socket.pause();
        }
    }

    @Override
    public void onWritabilityChanged(WebSocket socket, boolean writable) {
        if (writable) {
            socket.resume();
        }
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
