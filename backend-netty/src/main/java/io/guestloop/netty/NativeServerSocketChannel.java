package io.guestloop.netty;

import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Set;

/**
 * A listening TCP {@link ServerSocketChannel} over Netty's native {@link Socket}, for epoll and
 * io_uring loops; always non-blocking, so {@link #accept()} returns null when no connection waits.
 * Accepted sockets are non-blocking {@link NativeSocketChannel}s.
 *
 * <p><b>Threading:</b> one thread at a time (the loop thread once registered); {@link #close()} from
 * any thread.
 */
final class NativeServerSocketChannel extends ServerSocketChannel implements NativeChannel {

    private static final int DEFAULT_BACKLOG = 50;

    private final Socket socket;
    /** Filled in by every accept; the address is read back from the accepted socket when asked. */
    private final byte[] acceptedAddress = new byte[26];
    private volatile boolean bound;
    private volatile Runnable closeHook;

    NativeServerSocketChannel(SelectorProvider provider, Socket socket) throws IOException {
        super(provider);
        this.socket = socket;
        configureBlocking(false);
    }

    @Override
    public FileDescriptor fd() {
        return socket;
    }

    @Override
    public void onClose(Runnable hook) {
        closeHook = hook;
    }

    @Override
    public ServerSocketChannel bind(SocketAddress local, int backlog) throws IOException {
        ensureOpen();
        if (bound) {
            throw new AlreadyBoundException();
        }
        socket.bind(local == null ? new InetSocketAddress(0) : NativeSocketChannel.inet(local));
        socket.listen(backlog < 1 ? DEFAULT_BACKLOG : backlog);
        bound = true;
        return this;
    }

    @Override
    public <T> ServerSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        ensureOpen();
        NativeOptions.set(socket, NativeOptions.LISTEN, name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        ensureOpen();
        return NativeOptions.get(socket, NativeOptions.LISTEN, name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return NativeOptions.LISTEN;
    }

    /** @throws UnsupportedOperationException always: there is no {@code java.net.ServerSocket} adaptor */
    @Override
    public java.net.ServerSocket socket() {
        throw new UnsupportedOperationException("a native channel of the netty backend has no java.net.ServerSocket adaptor; "
                + "use the channel's own methods (bind, setOption, getLocalAddress, ...)");
    }

    @Override
    public SocketChannel accept() throws IOException {
        ensureOpen();
        if (!bound) {
            throw new NotYetBoundException();
        }
        int fd = socket.accept(acceptedAddress);
        if (fd < 0) {
            return null; // nothing waiting
        }
        Socket accepted = new Socket(fd);
        try {
            return new NativeSocketChannel(provider(), accepted, true);
        } catch (IOException | RuntimeException e) {
            accepted.close();
            throw e;
        }
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        return bound ? socket.localAddress() : null;
    }

    @Override
    protected void implCloseSelectableChannel() throws IOException {
        Runnable hook = closeHook;
        closeHook = null;
        if (hook != null) {
            hook.run();
        }
        socket.close();
    }

    /** @throws UnsupportedOperationException for blocking mode: the descriptor stays non-blocking */
    @Override
    protected void implConfigureBlocking(boolean block) {
        NativeChannels.refuseBlocking(block, this);
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public String toString() {
        String where;
        try {
            where = isOpen() ? " local=" + getLocalAddress() : " closed";
        } catch (IOException e) {
            where = "";
        }
        return "NativeServerSocketChannel[fd " + socket.intValue() + where + "]";
    }
}
