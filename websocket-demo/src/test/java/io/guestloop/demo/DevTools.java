package io.guestloop.demo;

import io.guestloop.tck.Timeouts;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DevTools protocol session with a browser, over the JDK's WebSocket client: send a command,
 * wait for its answer. Only what the browser test needs; events are ignored.
 *
 * <p><b>Threading:</b> {@link #call} from the test thread; answers arrive on the JDK's threads.
 */
final class DevTools implements AutoCloseable {

    private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final WebSocket socket;

    private DevTools(URI browser) {
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder parts = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                parts.append(data);
                if (last) {
                    answer(parts.toString());
                    parts.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                IllegalStateException gone = new IllegalStateException("the browser closed DevTools (" + statusCode + ")");
                pending.values().forEach(f -> f.completeExceptionally(gone));
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                pending.values().forEach(f -> f.completeExceptionally(error));
            }
        };
        this.socket = Timeouts.await(HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(browser, listener),
                "the DevTools connection to " + browser);
    }

    /** Connects to the browser's DevTools endpoint ({@code ws://127.0.0.1:PORT/devtools/browser/ID}). */
    static DevTools connect(URI browser) {
        return new DevTools(browser);
    }

    /**
     * Sends {@code method} with {@code paramsJson} (a JSON object) to the target attached as
     * {@code sessionId} (null: the browser itself) and returns the {@code result} object.
     *
     * @throws AssertionError when the browser answers with an error or not in time
     */
    Map<String, Object> call(String sessionId, String method, String paramsJson) {
        int id = ids.incrementAndGet();
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        pending.put(id, answer);
        String message = "{\"id\":" + id + ",\"method\":" + MiniJson.quote(method) + ",\"params\":" + paramsJson
                + (sessionId != null ? ",\"sessionId\":" + MiniJson.quote(sessionId) : "") + "}";
        Timeouts.await(socket.sendText(message, true), "sending " + method);
        Map<String, Object> reply = Timeouts.await(answer, "the browser's answer to " + method);
        if (reply.containsKey("error")) {
            throw new AssertionError(method + " failed: " + reply.get("error"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) reply.get("result");
        return result;
    }

    /** Sends {@code method} without waiting for an answer (for Browser.close, which may not get one). */
    void send(String method) {
        String message = "{\"id\":" + ids.incrementAndGet() + ",\"method\":" + MiniJson.quote(method) + ",\"params\":{}}";
        Timeouts.await(socket.sendText(message, true), "sending " + method);
    }

    @SuppressWarnings("unchecked")
    private void answer(String text) {
        Map<String, Object> message = (Map<String, Object>) MiniJson.parse(text);
        Object id = message.get("id");
        if (id instanceof Double d) {
            CompletableFuture<Map<String, Object>> f = pending.remove(d.intValue());
            if (f != null) {
                f.complete(message);
            }
        }
    }

    @Override
    public void close() {
        socket.abort();
    }
}
