package io.guestloop.executor;

import io.guestloop.Connection;
import io.guestloop.ConnectionHandler;
import io.guestloop.GuestContext;
import io.guestloop.tck.Timeouts;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JavaFX toolkit exits under a live guest: the guest is told, closes its connections and its
 * listener, and its context completes. The exit is for good, so this class runs in a JVM of its own
 * (the {@code javafx-on-xvfb} execution forks one per class).
 */
class JavaFxExitTest {

    @Test
    void toolkitExitClosesTheGuest() throws Exception {
        JavaFxToolkit.require(JavaFxExitTest.class);
        CountDownLatch opened = new CountDownLatch(1);
        AtomicInteger closedConnections = new AtomicInteger();
        AtomicReference<String> openedOn = new AtomicReference<>();
        GuestContext ctx = GuestContext.builder().hostLoop(SerialHost.javaFx())
                .listen(new InetSocketAddress("127.0.0.1", 0), new ConnectionHandler() {
                    @Override
                    public void onOpen(Connection c) {
                        openedOn.set(Thread.currentThread().getName());
                        opened.countDown();
                    }

                    @Override
                    public void onClosed(Connection c, Throwable cause) {
                        closedConnections.incrementAndGet();
                    }
                }).build();
        SocketAddress address = ctx.listeners().get(0).localAddress();
        try (Socket client = new Socket()) {
            client.connect(address, 5_000);
            Timeouts.await(opened, "the connection to open");
            assertTrue(openedOn.get().contains("JavaFX Application Thread"), "onOpen ran on " + openedOn.get());

            JavaFxToolkit.exit();
            Timeouts.await(ctx.closed(), "the guest to close after the JavaFX toolkit exited");
            assertEquals(1, closedConnections.get());
            assertEquals(-1, client.getInputStream().read(), "the client sees the close");
            assertThrows(ConnectException.class, () -> new Socket().connect(address, 5_000), "the listener is gone");
        }
    }
}
