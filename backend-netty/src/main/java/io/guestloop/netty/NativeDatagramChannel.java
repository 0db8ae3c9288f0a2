package io.guestloop.netty;

import io.netty.channel.unix.DatagramSocketAddress;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.spi.SelectorProvider;
import java.util.Set;

/**
 * A UDP {@link DatagramChannel} over Netty's native {@link Socket}, for epoll and io_uring loops;
 * always non-blocking. Multicast groups and the {@code java.net.DatagramSocket} adaptor are not
 * offered. A datagram larger than the buffer is cut to it, as with the JDK's channels.
 *
 * <p><b>Threading:</b> one thread at a time (the loop thread once registered); {@link #close()} from
 * any thread.
 */
final class NativeDatagramChannel extends DatagramChannel implements NativeChannel {

    private final Socket socket;
    private volatile boolean bound;
    private volatile InetSocketAddress remote;
    private volatile Runnable closeHook;

    NativeDatagramChannel(SelectorProvider provider, Socket socket) throws IOException {
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
    public DatagramChannel bind(SocketAddress local) throws IOException {
        ensureOpen();
        if (bound) {
            throw new java.nio.channels.AlreadyBoundException();
        }
        socket.bind(local == null ? new InetSocketAddress(0) : NativeSocketChannel.inet(local));
        bound = true;
        return this;
    }

    @Override
    public <T> DatagramChannel setOption(SocketOption<T> name, T value) throws IOException {
        ensureOpen();
        NativeOptions.set(socket, NativeOptions.DATAGRAM, name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        ensureOpen();
        return NativeOptions.get(socket, NativeOptions.DATAGRAM, name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return NativeOptions.DATAGRAM;
    }

    /** @throws UnsupportedOperationException always: there is no {@code java.net.DatagramSocket} adaptor */
    @Override
    public java.net.DatagramSocket socket() {
        throw new UnsupportedOperationException("a native channel of the netty backend has no java.net.DatagramSocket adaptor");
    }

    @Override
    public boolean isConnected() {
        return remote != null;
    }

    @Override
    public DatagramChannel connect(SocketAddress to) throws IOException {
        ensureOpen();
        InetSocketAddress target = NativeSocketChannel.inet(to);
        socket.connect(target);
        bound = true;
        remote = target;
        return this;
    }

    @Override
    public DatagramChannel disconnect() throws IOException {
        if (remote != null && isOpen()) {
            socket.disconnect();
            remote = null;
        }
        return this;
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        ensureOpen();
        return remote;
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        return bound ? socket.localAddress() : null;
    }

    @Override
    public SocketAddress receive(ByteBuffer dst) throws IOException {
        ensureOpen();
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("cannot receive into a read-only buffer");
        }
        ByteBuffer into = dst.isDirect() ? dst : ByteBuffer.allocateDirect(dst.remaining());
        int pos = into.position();
        DatagramSocketAddress from = socket.recvFrom(into, pos, into.limit());
        if (from == null) {
            return null; // nothing waiting
        }
        int n = from.receivedAmount();
        if (into == dst) {
            dst.position(pos + n);
        } else {
            dst.put(into.limit(n));
        }
        // An IPv6 socket reports IPv4 peers as mapped addresses; give them back as the JDK does.
        return new InetSocketAddress(InetAddress.getByAddress(from.getAddress().getAddress()), from.getPort());
    }

    @Override
    public int send(ByteBuffer src, SocketAddress target) throws IOException {
        ensureOpen();
        InetSocketAddress to = NativeSocketChannel.inet(target);
        ByteBuffer from = src.isDirect() ? src : ByteBuffer.allocateDirect(src.remaining()).put(src.duplicate()).flip();
        int n = socket.sendTo(from, from.position(), from.limit(), to.getAddress(), to.getPort());
        src.position(src.position() + n);
        bound = true;
        return n;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureConnected();
        int before = dst.position();
        return receive(dst) == null ? 0 : dst.position() - before;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        throw new UnsupportedOperationException("scattering reads of datagrams are not offered by the native channel; read(ByteBuffer)");
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        ensureConnected();
        return send(src, remote);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        throw new UnsupportedOperationException("gathering writes of datagrams are not offered by the native channel; write(ByteBuffer)");
    }

    /** @throws UnsupportedOperationException always: multicast is not offered */
    @Override
    public MembershipKey join(InetAddress group, NetworkInterface interf) {
        throw new UnsupportedOperationException("multicast is not offered by the netty backend's native datagram channel");
    }

    /** @throws UnsupportedOperationException always: multicast is not offered */
    @Override
    public MembershipKey join(InetAddress group, NetworkInterface interf, InetAddress source) {
        throw new UnsupportedOperationException("multicast is not offered by the netty backend's native datagram channel");
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
        if (remote == null) {
            throw new NotYetConnectedException();
        }
    }

    @Override
    public String toString() {
        return "NativeDatagramChannel[fd " + socket.intValue() + (isOpen() ? "]" : ", closed]");
    }
}
