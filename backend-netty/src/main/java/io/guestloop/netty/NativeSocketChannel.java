package io.guestloop.netty;

import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.NoConnectionPendingException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.channels.spi.SelectorProvider;
import java.util.Set;

/**
 * A TCP {@link SocketChannel} over Netty's native {@link Socket}, for epoll and io_uring loops. It is
 * always non-blocking: {@code configureBlocking(true)} is refused. There is no {@code java.net.Socket}
 * adaptor ({@link #socket()}).
 *
 * <p><b>Threading:</b> one thread at a time (the loop thread once registered); {@link #close()} from
 * any thread.
 */
final class NativeSocketChannel extends SocketChannel implements NativeChannel {

    private static final int UNCONNECTED = 0;
    private static final int PENDING = 1;
    private static final int CONNECTED = 2;

    private final Socket socket;
    private volatile int state;
    private volatile boolean bound;
    private volatile Runnable closeHook;

    NativeSocketChannel(SelectorProvider provider, Socket socket, boolean connected) throws IOException {
        super(provider);
        this.socket = socket;
        this.state = connected ? CONNECTED : UNCONNECTED;
        this.bound = connected;
        configureBlocking(false); // the descriptor is non-blocking from birth
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
    public SocketChannel bind(SocketAddress local) throws IOException {
        ensureOpen();
        if (state != UNCONNECTED) {
            throw state == PENDING ? new ConnectionPendingException() : new AlreadyConnectedException();
        }
        if (bound) {
            throw new java.nio.channels.AlreadyBoundException();
        }
        socket.bind(local == null ? new InetSocketAddress(0) : inet(local));
        bound = true;
        return this;
    }

    @Override
    public <T> SocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        ensureOpen();
        NativeOptions.set(socket, NativeOptions.STREAM, name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        ensureOpen();
        return NativeOptions.get(socket, NativeOptions.STREAM, name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return NativeOptions.STREAM;
    }

    @Override
    public SocketChannel shutdownInput() throws IOException {
        ensureConnected();
        socket.shutdown(true, false);
        return this;
    }

    @Override
    public SocketChannel shutdownOutput() throws IOException {
        ensureConnected();
        socket.shutdown(false, true);
        return this;
    }

    /** @throws UnsupportedOperationException always: a native channel has no {@code java.net.Socket} adaptor */
    @Override
    public java.net.Socket socket() {
        throw new UnsupportedOperationException("a native channel of the netty backend has no java.net.Socket adaptor; "
                + "use the channel's own methods (setOption, getLocalAddress, ...)");
    }

    @Override
    public boolean isConnected() {
        return state == CONNECTED;
    }

    @Override
    public boolean isConnectionPending() {
        return state == PENDING;
    }

    @Override
    public boolean connect(SocketAddress remote) throws IOException {
        ensureOpen();
        if (state == CONNECTED) {
            throw new AlreadyConnectedException();
        }
        if (state == PENDING) {
            throw new ConnectionPendingException();
        }
        boolean done = socket.connect(inet(remote));
        bound = true;
        state = done ? CONNECTED : PENDING;
        return done;
    }

    @Override
    public boolean finishConnect() throws IOException {
        ensureOpen();
        if (state == CONNECTED) {
            return true;
        }
        if (state != PENDING) {
            throw new NoConnectionPendingException();
        }
        if (!socket.finishConnect()) {
            return false;
        }
        state = CONNECTED;
        return true;
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        ensureOpen();
        return state == CONNECTED ? socket.remoteAddress() : null;
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        return bound ? socket.localAddress() : null;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureConnected();
        if (socket.isInputShutdown()) {
            return -1;
        }
        return NativeIo.read(socket, dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        ensureConnected();
        if (socket.isInputShutdown()) {
            return -1;
        }
        return NativeIo.read(socket, dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        ensureWritable();
        return NativeIo.write(socket, src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        ensureWritable();
        return NativeIo.write(socket, srcs, offset, length);
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

    private void ensureConnected() throws ClosedChannelException {
        ensureOpen();
        if (state != CONNECTED) {
            throw new NotYetConnectedException();
        }
    }

    private void ensureWritable() throws ClosedChannelException {
        ensureConnected();
        if (socket.isOutputShutdown()) {
            throw new ClosedChannelException();
        }
    }

    static InetSocketAddress inet(SocketAddress address) {
        if (!(address instanceof InetSocketAddress)) {
            throw new UnsupportedAddressTypeException();
        }
        InetSocketAddress inet = (InetSocketAddress) address;
        if (inet.isUnresolved()) {
            throw new UnresolvedAddressException();
        }
        return inet;
    }

    @Override
    public String toString() {
        String where;
        try {
            where = isOpen() ? " local=" + getLocalAddress() + " remote=" + getRemoteAddress() : " closed";
        } catch (IOException e) {
            where = "";
        }
        return "NativeSocketChannel[fd " + socket.intValue() + where + "]";
    }
}
