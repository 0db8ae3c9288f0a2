package io.guestloop.websocket;

import io.guestloop.tck.Timeouts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GuestContext.shutdown(grace)} on a WebSocket server with 100 busy clients: every client
 * gets every message the server had accepted for sending before the shutdown began, then a 1001
 * close frame, and the context closes once the close handshakes are done.
 */
class GracefulShutdownTest {

    private static final int CLIENTS = 100;
    private static final int MESSAGES = 200;
    private static final String PAYLOAD = "x".repeat(1000);

    /** Messages each connection accepted for sending, by the client's port. */
    private final Map<Integer, Integer> accepted = new ConcurrentHashMap<>();
    private final CountDownLatch sent = new CountDownLatch(CLIENTS);
    private ServerFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyClientGetsItsQueuedMessagesAndThen1001() throws Exception {
        fixture = new ServerFixture(WebSocketServer.builder().endpoint("/feed", new WebSocketEndpoint() {
            @Override
            public void onOpen(WebSocket socket) {
                int n = 0;
                while (n < MESSAGES && socket.sendText(n + ":" + PAYLOAD)) {
                    n++;
                }
                accepted.put(((InetSocketAddress) socket.remoteAddress()).getPort(), n);
                sent.countDown();
            }
        }).build());
        List<RawClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < CLIENTS; i++) {
                RawClient c = new RawClient(fixture.address, 4096);
                clients.add(c);
                assertTrue(c.upgrade("/feed").startsWith("HTTP/1.1 101"), "upgrade of client " + i);
            }
            Timeouts.await(sent, "every connection to queue its messages");
            CompletableFuture<Void> shutdown = fixture.context.shutdown(Duration.ofSeconds(60)).toCompletableFuture();
            List<CompletableFuture<Void>> readers = new ArrayList<>();
            for (RawClient c : clients) {
                readers.add(CompletableFuture.runAsync(() -> {
                    try {
                        int expected = accepted.get(c.localPort());
                        int got = 0;
                        RawClient.Frame f;
                        while ((f = c.readFrame()).opcode() == 0x1) {
                            assertTrue(f.text().startsWith(got + ":"), "message " + got + " in order");
                            got++;
                        }
                        assertEquals(expected, got, "messages the client got of those the server accepted");
                        assertEquals(0x8, f.opcode(), "a close frame after the messages");
                        assertEquals(1001, f.closeCode(), "going away");
                        c.sendFrame(0x88, RawClient.closePayload(1001, ""));
                        assertTrue(c.readsEndOfStream(), "the server closes after the close handshake");
                    } catch (java.io.IOException e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                }));
            }
            Timeouts.await(CompletableFuture.allOf(readers.toArray(new CompletableFuture[0])), "every client to read to the close");
            Timeouts.await(shutdown, "the shutdown to complete once every session closed");
        } finally {
            for (RawClient c : clients) {
                c.close();
            }
        }
    }
}
