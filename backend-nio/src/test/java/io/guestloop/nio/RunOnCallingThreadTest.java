package io.guestloop.nio;

import io.guestloop.Connection;
import io.guestloop.ConnectionHandler;
import io.guestloop.GuestContext;
import io.guestloop.tck.Timeouts;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A whole guest context on nio's run-on-caller mode: no thread of its own, served by run()'s caller. */
class RunOnCallingThreadTest {

    @Test
    void aContextBuiltToRunOnTheCallerServesConnectionsOnThatThreadUntilClosed() throws Exception {
        CompletableFuture<Thread> servedOn = new CompletableFuture<>();
        GuestContext context = GuestContext.builder()
                .runOnCallingThread()
                .listen(new InetSocketAddress("127.0.0.1", 0), new ConnectionHandler() {
                    @Override
                    public void onData(Connection connection, ByteBuffer data) {
                        servedOn.complete(Thread.currentThread());
                        connection.write(data);
                    }
                })
                .build();
        assertEquals("nio", context.backendName());
        CompletableFuture<Void> runReturned = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                context.run();
                runReturned.complete(null);
            } catch (Throwable t) {
                runReturned.completeExceptionally(t);
            }
        }, "app-main");
        caller.start();
        try (SocketChannel client = SocketChannel.open(context.listeners().get(0).localAddress())) {
            client.write(StandardCharsets.US_ASCII.encode("ping"));
            ByteBuffer echoed = ByteBuffer.allocate(4);
            while (echoed.hasRemaining() && client.read(echoed) >= 0) {
                // a blocking read of the echo; the loop on app-main answers
            }
            assertEquals("ping", new String(echoed.array(), StandardCharsets.US_ASCII));
        }
        assertSame(caller, Timeouts.await(servedOn, "the handler to run"));
        Timeouts.await(context.close(), "the context to close");
        Timeouts.await(runReturned, "run() to return once the context closed");
    }
}
