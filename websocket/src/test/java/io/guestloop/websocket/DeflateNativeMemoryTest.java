package io.guestloop.websocket;

import io.guestloop.tck.Timeouts;
import io.guestloop.websocket.internal.CodecPool;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every {@code Deflater} and {@code Inflater} holds native memory that only {@code end()} frees.
 * 10,000 compressing connections, with and without context takeover, ended by the close
 * handshake, by an abrupt abort, or by closing the whole context, leave none behind: the stack
 * counts every codec it makes and ends ({@link CodecPool#liveCodecs()}), so a missing
 * {@code end()} anywhere shows here as a count that does not return to where it started.
 */
class DeflateNativeMemoryTest {

    private static final int CONNECTIONS = 10_000;
    private static final int BATCH = 100;
    private static final String LINE = "{\"type\":\"chat\",\"from\":\"visitor-7\",\"text\":\"a line long enough to be compressed\"}";

    /** A client endpoint that counts echoes and closes into the latches of the current batch. */
    private static final class Counting implements WebSocketEndpoint {
        final CountDownLatch echoed;
        final CountDownLatch closed;

        Counting(CountDownLatch echoed, CountDownLatch closed) {
            this.echoed = echoed;
            this.closed = closed;
        }

        @Override
        public void onText(WebSocket socket, String text) {
            echoed.countDown();
        }

        @Override
        public void onClose(WebSocket socket, int code, String reason) {
            closed.countDown();
        }
    }

    @Test
    void tenThousandCompressingConnectionsLeaveNoCodecBehind() throws Exception {
        long liveBefore = CodecPool.liveCodecs();
        long createdBefore = CodecPool.createdCodecs();
        long mostLive = 0;
        WebSocketServer server = WebSocketServer.builder()
                .endpoint("/echo", new WebSocketEndpoint() {
                    @Override
                    public void onText(WebSocket socket, String text) {
                        socket.sendText(text);
                    }
                })
                .config(WebSocketConfig.builder().perMessageDeflate(PerMessageDeflateConfig.on()).build())
                .build();
        ServerFixture fixture = new ServerFixture(server);
        try {
            URI uri = URI.create("ws://127.0.0.1:" + fixture.address.getPort() + "/echo");
            // Alternate batches: context takeover both ways (each connection owns its codecs), or
            // none (the service thread lends pooled ones for each message).
            WebSocketClient takeover = WebSocketClient.builder()
                    .config(WebSocketConfig.builder().perMessageDeflate(PerMessageDeflateConfig.on()).build()).build();
            WebSocketClient noTakeover = WebSocketClient.builder().config(WebSocketConfig.builder().perMessageDeflate(
                    PerMessageDeflateConfig.on().withServerNoContextTakeover(true).withClientNoContextTakeover(true)).build()).build();
            for (int batch = 0; batch < CONNECTIONS / BATCH; batch++) {
                WebSocketClient client = batch % 2 == 0 ? takeover : noTakeover;
                CountDownLatch echoed = new CountDownLatch(BATCH);
                CountDownLatch closed = new CountDownLatch(BATCH);
                Counting endpoint = new Counting(echoed, closed);
                List<WebSocket> sockets = Timeouts.await(fixture.onLoop(t -> {
                    List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
                    for (int i = 0; i < BATCH; i++) {
                        opening.add(client.connect(t, uri, endpoint).toCompletableFuture().thenApply(socket -> {
                            socket.sendText(LINE);
                            return socket;
                        }));
                    }
                    return opening;
                }).thenCompose(opening -> CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new))
                        .thenApply(v -> opening.stream().map(CompletableFuture::join).toList())), "a batch of connections");
                assertTrue(echoed.await(Timeouts.AWAIT.toMillis(), TimeUnit.MILLISECONDS), "every echo of batch " + batch);
                mostLive = Math.max(mostLive, CodecPool.liveCodecs() - liveBefore);
                if (batch == CONNECTIONS / BATCH - 1) {
                    break; // the last batch stays open: closing the context must end its codecs
                }
                int b = batch;
                Timeouts.await(fixture.onLoop(t -> {
                    for (int i = 0; i < sockets.size(); i++) {
                        if ((i + b) % 2 == 0) {
                            sockets.get(i).close();
                        } else {
                            sockets.get(i).abort();
                        }
                    }
                    return null;
                }), "closing a batch");
                assertTrue(closed.await(Timeouts.AWAIT.toMillis(), TimeUnit.MILLISECONDS), "every close of batch " + batch);
            }
        } finally {
            fixture.close();
        }
        long created = CodecPool.createdCodecs() - createdBefore;
        assertTrue(created >= CONNECTIONS, "codecs were made: " + created);
        assertTrue(mostLive >= 4 * BATCH, "with context takeover each connection held its own codecs: " + mostLive);
        assertEquals(liveBefore, CodecPool.liveCodecs(),
                "of " + created + " codecs made, every one was ended (native memory freed)");
        assertTrue(LINE.getBytes(StandardCharsets.UTF_8).length >= PerMessageDeflateConfig.on().minMessageSize());
    }
}
