package io.guestloop.netty;

import io.guestloop.Connection;
import io.guestloop.ConnectionHandler;
import io.guestloop.GuestContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A guest echo on a NIO group, run by {@link WithoutNativeJarsTest} in a class loader that has no
 * Netty native transport jar: it returns what it saw, so the test can check it.
 *
 * <p><b>Threading:</b> the caller's thread drives a blocking client; the guest runs on the group.
 */
public final class NioOnlyProbe {

    private NioOnlyProbe() {
    }

    /** The backend's name and the echoed word, as {@code "netty:ping"}. */
    public static String run() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            GuestContext guest = GuestContext.builder()
                    .hostLoop(group)
                    .listen(new InetSocketAddress("127.0.0.1", 0), new ConnectionHandler() {
                        @Override
                        public void onData(Connection c, ByteBuffer data) {
                            c.write(data);
                        }
                    })
                    .build();
            String echoed;
            try (Socket client = new Socket()) {
                client.setSoTimeout(10_000);
                client.connect(guest.listeners().get(0).localAddress(), 10_000);
                client.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
                echoed = new String(client.getInputStream().readNBytes(4), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            guest.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return guest.backendName() + ":" + echoed;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
