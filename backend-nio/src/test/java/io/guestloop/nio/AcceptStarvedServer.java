package io.guestloop.nio;

import io.guestloop.Connection;
import io.guestloop.ConnectionHandler;
import io.guestloop.GuestContext;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The child JVM of {@link AcceptWithoutDescriptorsTest}: a guest echo server on one nio thread. It
 * prints its port, then serves until standard input closes; the listener's warnings go to standard
 * error, where the test counts them.
 */
public final class AcceptStarvedServer {

    private AcceptStarvedServer() {
    }

    public static void main(String[] args) throws Exception {
        GuestContext context = GuestContext.builder().serviceThreads(1)
                .listen(new InetSocketAddress("127.0.0.1", 0), new ConnectionHandler() {
                    @Override
                    public void onData(Connection c, ByteBuffer data) {
                        c.write(data);
                    }
                })
                .build();
        // One warning first, so that logging has loaded what it needs (time zones) while files can still be opened.
        System.getLogger("io.guestloop.listener").log(System.Logger.Level.WARNING, "test server starting");
        System.out.println("port " + ((InetSocketAddress) context.listeners().get(0).localAddress()).getPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // serve until the test closes our standard input
        }
        context.close().toCompletableFuture().join();
    }
}
