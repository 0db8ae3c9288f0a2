package io.guestloop.internal;

import io.guestloop.ConnectionHandler;
import io.guestloop.Listener;
import io.guestloop.ServiceThread;
import io.guestloop.spi.ReadyListener;
import io.guestloop.spi.Registration;
import io.guestloop.tls.ServerTls;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.channels.spi.SelectorProvider;
import java.util.List;

/**
 * A listening socket: accepts on its own service thread and hands each connection to the next
 * service thread of the context, round robin, with TLS when the listener has a {@link ServerTls}.
 *
 * <p><b>Threading:</b> {@link #localAddress()} any thread; everything else on {@link #thread}.
 */
final class CoreListener implements Listener, ReadyListener {

    /** Accepts per readiness event, so a flood of connections cannot starve the loop's other work. */
    private static final int MAX_ACCEPTS_PER_EVENT = 64;
    /**
     * How long a listener stops accepting after accept failed (out of file descriptors, say): the
     * pending connection keeps the socket readable, so retrying at once would spin (Netty waits 1 s).
     */
    static final long ACCEPT_PAUSE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);
    private static final System.Logger LOG = System.getLogger("io.guestloop.listener");

    private final ServerSocketChannel server;
    private final SocketAddress localAddress;
    private final ConnectionHandler handler;
    /** Null for plaintext. */
    private final ServerTls tls;
    private CoreServiceThread thread;
    private Registration registration;
    private int cursor;
    private boolean closed;

    private CoreListener(ServerSocketChannel server, ServerTls tls, ConnectionHandler handler) throws IOException {
        this.server = server;
        this.tls = tls;
        this.handler = handler;
        this.localAddress = server.getLocalAddress();
    }

    /**
     * Opens and binds a listening socket: TCP for an {@code InetSocketAddress}, a UNIX-domain socket
     * for a {@code UnixDomainSocketAddress}. On failure nothing is left open.
     *
     * @throws IllegalArgumentException for an unresolved or unsupported address
     */
    static CoreListener bind(SelectorProvider channels, SocketAddress address, ServerTls tls, ConnectionHandler handler)
            throws IOException {
        boolean unix = address instanceof UnixDomainSocketAddress;
        ServerSocketChannel server = unix ? channels.openServerSocketChannel(StandardProtocolFamily.UNIX) : channels.openServerSocketChannel();
        try {
            if (!unix) {
                server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            }
            server.bind(address, 1024);
            server.configureBlocking(false);
            return new CoreListener(server, tls, handler);
        } catch (IOException | RuntimeException e) {
            server.close();
            if (e instanceof UnresolvedAddressException || e instanceof UnsupportedAddressTypeException) {
                throw new IllegalArgumentException("cannot listen on " + address + ": " + e
                        + " (give a resolved InetSocketAddress or a UnixDomainSocketAddress)", e);
            }
            throw e;
        }
    }

    /** Starts accepting on {@code acceptor}, which must be the calling thread. */
    void start(CoreServiceThread acceptor) throws IOException {
        this.thread = acceptor;
        registration = acceptor.loop.register(server, SelectionKey.OP_ACCEPT, this);
        acceptor.bindInternal(handler);
        acceptor.listenerOpened(this);
    }

    @Override
    public void onReady(int readyOps) {
        List<CoreServiceThread> threads = thread.context.coreThreads();
        for (int i = 0; i < MAX_ACCEPTS_PER_EVENT && !closed; i++) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                pauseAccepting(e);
                return;
            }
            if (ch == null) {
                return;
            }
            CoreServiceThread target = threads.get(Math.floorMod(cursor++, threads.size()));
            if (target == thread) {
                target.accepted(ch, tls, handler);
            } else {
                target.post(() -> target.accepted(ch, tls, handler));
            }
        }
    }

    /** Stops watching for a second, and says so once per pause: the loop neither spins nor floods the log. */
    private void pauseAccepting(IOException e) {
        registration.interestOps(0);
        thread.scheduleInternal(ACCEPT_PAUSE_NANOS, () -> {
            if (!closed) {
                registration.interestOps(SelectionKey.OP_ACCEPT);
            }
        });
        try {
            LOG.log(System.Logger.Level.WARNING, "accept failed on " + localAddress + " (" + e
                    + "); not accepting for " + java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(ACCEPT_PAUSE_NANOS) + " ms");
        } catch (RuntimeException | LinkageError logFailed) {
            // Out of descriptors, logging itself may fail (a formatter opening a file): the pause holds anyway.
        }
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public ServiceThread serviceThread() {
        return thread;
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.checkInLoop("Listener.close");
        }
        closeInternal();
    }

    void closeInternal() {
        if (closed) {
            return;
        }
        closed = true;
        if (registration != null) {
            registration.cancel();
            thread.unbindInternal(handler);
            thread.listenerClosed(this);
        }
        try {
            server.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing listener " + localAddress + ": " + e);
        }
    }

    /** Makes a guest connection of a freshly accepted socket. */
    static void configureAccepted(SocketChannel ch) throws IOException {
        ch.configureBlocking(false);
        if (ch.supportedOptions().contains(StandardSocketOptions.TCP_NODELAY)) {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true); // not for a UNIX-domain socket
        }
    }

    @Override
    public String toString() {
        return "Listener[" + localAddress + (closed ? ", closed]" : "]");
    }
}
