package io.guestloop.internal;

import io.guestloop.Connection;
import io.guestloop.ConnectionHandler;
import io.guestloop.Listener;
import io.guestloop.tls.ClientTls;
import io.guestloop.tls.ServerTls;
import io.guestloop.tls.TlsConfig;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.util.Objects;

/**
 * How one {@link CoreServiceThread} opens sockets for the guest: {@code listen}, {@code connect} and
 * {@code adopt} check their arguments and the channel, configure it, and make a guest connection of
 * it on the thread. The handler hears of a new connection on a later turn of the loop, never from
 * inside the call that made it.
 *
 * <p><b>Threading:</b> the service thread's loop thread only; the thread checks before it calls.
 */
final class SocketOpener {

    private final CoreServiceThread thread;

    SocketOpener(CoreServiceThread thread) {
        this.thread = thread;
    }

    Listener listen(SocketAddress address, ServerTls tls, ConnectionHandler handler) throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(handler, "handler");
        thread.checkOpen("ServiceThread.listen");
        CoreListener listener = CoreListener.bind(thread.context.channels(), address, tls, handler);
        try {
            listener.start(thread);
        } catch (IOException | RuntimeException e) {
            listener.closeInternal();
            throw e;
        }
        return listener;
    }

    Connection connect(SocketAddress address, Duration timeout, ClientTls tls, ConnectionHandler handler) throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(handler, "handler");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("connect timeout must be positive, was " + timeout);
        }
        thread.checkOpen("ServiceThread.connect");
        boolean unix = address instanceof UnixDomainSocketAddress;
        SocketChannel ch = unix ? thread.context.channels().openSocketChannel(StandardProtocolFamily.UNIX)
                : thread.context.channels().openSocketChannel();
        boolean connected;
        IOException failure = null;
        try {
            ch.configureBlocking(false);
            if (!unix) {
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            connected = ch.connect(address);
        } catch (UnresolvedAddressException | UnsupportedAddressTypeException e) {
            ch.close();
            throw new IllegalArgumentException("cannot connect to " + address + ": " + e + " (connect never resolves a"
                    + " name on the loop thread: resolve it elsewhere and pass the resolved InetSocketAddress)", e);
        } catch (IOException e) {
            connected = false;
            failure = e;
        }
        CoreConnection conn = thread.register(ch, handler, tls, address);
        if (failure != null) {
            IOException cause = failure;
            thread.post(() -> conn.ioFailed(cause)); // never call back from inside connect()
        } else if (connected) {
            thread.post(conn::open);
        } else {
            conn.awaitConnect(address, Nanos.of(timeout));
        }
        return conn;
    }

    /** Adopts {@code channel}, with TLS when {@code tls} is not null. */
    Connection adopt(SelectableChannel channel, TlsConfig tls, ConnectionHandler handler) throws IOException {
        if (tls != null && (!(channel instanceof ByteChannel) || channel instanceof DatagramChannel)) {
            throw new IllegalArgumentException("cannot adopt " + channel + " with TLS: TLS needs a stream that is read and "
                    + "written (a TCP or UNIX-domain SocketChannel), not " + (channel == null ? "null" : channel.getClass().getName()));
        }
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(handler, "handler");
        thread.checkOpen("ServiceThread.adopt");
        if (!(channel instanceof ReadableByteChannel) && !(channel instanceof WritableByteChannel)) {
            throw new IllegalArgumentException("cannot adopt " + channel.getClass().getName()
                    + ": it is neither a ReadableByteChannel nor a WritableByteChannel (a listening socket? use listen)");
        }
        if (channel instanceof DatagramChannel d && !d.isConnected()) {
            throw new IllegalArgumentException("cannot adopt " + channel + ": a DatagramChannel must be connected to its peer "
                    + "(DatagramChannel.connect) to be a connection; it has no peer to read from or write to");
        }
        CoreContext context = thread.context;
        if (channel.provider() != context.channels()) {
            throw new IllegalArgumentException("cannot adopt " + channel + ": the " + context.backendName() + " loop of "
                    + thread.name() + " watches only channels made by " + context.channels().getClass().getName()
                    + ", and this one comes from " + channel.provider().getClass().getName()
                    + "; open the channel with context().channelProvider() (openSocketChannel, openServerSocketChannel, "
                    + "openPipe, ...), or use listen or connect, which open channels this loop can watch");
        }
        channel.configureBlocking(false);
        CoreConnection conn = thread.register(channel, handler, tls, tls == null ? null : peerOf(channel));
        thread.post(conn::open); // never call back from inside adopt()
        return conn;
    }

    /** The peer a TLS connection over {@code channel} talks to, when the channel knows it. */
    static SocketAddress peerOf(SelectableChannel channel) {
        try {
            return channel instanceof SocketChannel s ? s.getRemoteAddress() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
