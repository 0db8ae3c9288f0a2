package io.guestloop.netty;

import io.netty.channel.ChannelException;
import io.netty.channel.unix.Socket;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;

/**
 * The channels the guest core opens on Netty's epoll and io_uring loops: {@code java.nio}
 * channels ({@link SocketChannel}, {@link ServerSocketChannel}, {@link Pipe},
 * {@link DatagramChannel}) over Netty's public native sockets and descriptors
 * ({@code io.netty.channel.unix}), whose file descriptors those loops watch. The core, TLS and every
 * stack above them read and write through the {@code java.nio} types as on any other loop; no JVM
 * flag is needed, since no descriptor is taken from a JDK channel.
 *
 * <p>Every channel is non-blocking from birth and stays so ({@code configureBlocking(true)} is
 * refused); there are no {@code java.net} socket adaptors and no selector: the loop watches these
 * channels itself ({@link #openSelector()} is refused). One provider serves every native loop, so a
 * channel made for an epoll loop may be adopted on an io_uring loop too.
 *
 * <p>Netty's native library must be loaded before any channel is made: the epoll or io_uring kind
 * that hands this provider out has done so ({@code Epoll.ensureAvailability()},
 * {@code IoUring.ensureAvailability()}).
 *
 * <p><b>Threading:</b> any thread.
 */
final class NativeChannels extends SelectorProvider {

    static final NativeChannels INSTANCE = new NativeChannels();

    private NativeChannels() {
    }

    @Override
    public DatagramChannel openDatagramChannel() throws IOException {
        Socket socket = socket(true);
        try {
            return new NativeDatagramChannel(this, socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException {
        checkInet(family);
        return openDatagramChannel();
    }

    @Override
    public Pipe openPipe() throws IOException {
        return new NativePipe(this);
    }

    /** @throws UnsupportedOperationException always: the loop itself watches these channels */
    @Override
    public AbstractSelector openSelector() {
        throw new UnsupportedOperationException("the netty backend's native channels are watched by Netty's epoll or "
                + "io_uring loop itself; there is no Selector for them. Register them through the guest API "
                + "(ServiceThread.adopt) instead.");
    }

    @Override
    public ServerSocketChannel openServerSocketChannel() throws IOException {
        Socket socket = socket(false);
        try {
            return new NativeServerSocketChannel(this, socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException {
        checkInet(family);
        return openServerSocketChannel();
    }

    @Override
    public SocketChannel openSocketChannel() throws IOException {
        Socket socket = socket(false);
        try {
            return new NativeSocketChannel(this, socket, false);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public SocketChannel openSocketChannel(ProtocolFamily family) throws IOException {
        checkInet(family);
        return openSocketChannel();
    }

    /** A dual-stack (IPv6 where the host prefers it) non-blocking socket. */
    private static Socket socket(boolean datagram) throws IOException {
        try {
            return datagram ? Socket.newSocketDgram() : Socket.newSocketStream();
        } catch (ChannelException e) {
            throw e.getCause() instanceof IOException ? (IOException) e.getCause() : new IOException(e.getMessage(), e);
        }
    }

    private static void checkInet(ProtocolFamily family) {
        if (family != StandardProtocolFamily.INET && family != StandardProtocolFamily.INET6) {
            throw new UnsupportedOperationException("the netty backend's native channels are TCP and UDP over IP; "
                    + family + " is not offered");
        }
    }

    /** What every native channel does in {@code implConfigureBlocking}. */
    static void refuseBlocking(boolean block, Object channel) {
        if (block) {
            throw new UnsupportedOperationException(channel + " is non-blocking only: its loop (Netty's epoll or io_uring) "
                    + "watches it, and nothing may block that loop's thread");
        }
    }

    @Override
    public String toString() {
        return "NativeChannels";
    }
}
