package io.guestloop.websocket;

import io.guestloop.tck.Timeouts;

import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An endpoint that echoes (unless told not to) and records what happened, for test threads to await. */
class RecordingEndpoint implements WebSocketEndpoint {

    final boolean echo;
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
    final CompletableFuture<WebSocket> opened = new CompletableFuture<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();

    RecordingEndpoint(boolean echo) {
        this.echo = echo;
    }

    @Override
    public void onOpen(WebSocket socket) {
        opened.complete(socket);
    }

    @Override
    public void onText(WebSocket socket, String text) {
        events.add("text:" + (text.length() > 40 ? text.length() + " chars" : text));
        if (echo && !socket.sendText(text)) {
            errors.add(new AssertionError("echo refused"));
        }
    }

    @Override
    public void onBinary(WebSocket socket, ByteBuffer data) {
        events.add("binary:" + data.remaining());
        if (echo && !socket.sendBinary(data)) {
            errors.add(new AssertionError("echo refused"));
        }
    }

    @Override
    public void onPong(WebSocket socket, ByteBuffer payload) {
        events.add("pong:" + payload.remaining());
    }

    @Override
    public void onClose(WebSocket socket, int code, String reason) {
        closed.complete(code + ":" + reason);
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
        errors.add(error);
    }

    String nextEvent() throws InterruptedException {
        String e = events.poll(Timeouts.AWAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
            throw new AssertionError("no event within " + Timeouts.AWAIT);
        }
        return e;
    }

    String awaitClose() {
        return Timeouts.await(closed, "onClose");
    }
}
