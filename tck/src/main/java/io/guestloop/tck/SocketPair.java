package io.guestloop.tck;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * A connected TCP pair on 127.0.0.1: {@link #near} is non-blocking, made by the backend's channel
 * provider and meant to be registered with the loop under test; {@link #far} is the JDK's, stays
 * blocking and is the test's peer.
 *
 * <p><b>Threading:</b> {@link #near} is used on the loop thread once registered; {@link #far} on
 * the test thread.
 */
final class SocketPair implements AutoCloseable {

    final SocketChannel near;
    final SocketChannel far;

    private SocketPair(SocketChannel near, SocketChannel far) {
        this.near = near;
        this.far = far;
    }

    /** A pair whose near end {@code channels} made (the backend's {@code LoopOps.channelProvider()}). */
    static SocketPair open(SelectorProvider channels) throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel near = channels.openSocketChannel();
            try {
                near.configureBlocking(false);
                boolean connected = near.connect(server.getLocalAddress());
                // The far end is accepted only once the near end's handshake is done: finishing is immediate.
                SocketChannel far = server.accept();
                long deadline = System.nanoTime() + Timeouts.AWAIT.toNanos();
                while (!connected && !(connected = near.finishConnect())) {
                    if (System.nanoTime() - deadline > 0) {
                        far.close();
                        throw new AssertionError("the near end of a loopback pair did not finish connecting");
                    }
                    Thread.onSpinWait();
                }
                return new SocketPair(near, far);
            } catch (IOException | RuntimeException | Error e) {
                near.close();
                throw e;
            }
        }
    }

    /** Writes {@code count} bytes from the far end, so that {@link #near} becomes readable. */
    void send(int count) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(count);
        while (bytes.hasRemaining()) {
            far.write(bytes);
        }
    }

    /**
     * Reads everything a non-blocking {@code channel} has now; returns the count, or -1 at end of
     * stream. For the loop thread.
     */
    static int drain(ReadableByteChannel channel) {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        int total = 0;
        try {
            while (true) {
                buffer.clear();
                int n = channel.read(buffer);
                if (n < 0) {
                    return total == 0 ? -1 : total;
                }
                if (n == 0) {
                    return total;
                }
                total += n;
            }
        } catch (IOException e) {
            throw new AssertionError("reading " + channel + " failed", e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            near.close();
        } finally {
            far.close();
        }
    }
}
