package io.guestloop.internal;

import io.guestloop.Connection;
import io.guestloop.ConnectionHandler;
import io.guestloop.GuestContext;
import io.guestloop.Listener;
import io.guestloop.Protocol;
import io.guestloop.ServiceThread;
import io.guestloop.Timer;
import io.guestloop.WrongThreadException;
import io.guestloop.internal.tls.TlsBuffers;
import io.guestloop.tls.ClientTls;
import io.guestloop.tls.ServerTls;
import io.guestloop.tls.TlsConfig;
import io.guestloop.spi.ThreadEvents;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One service thread of a context: the guest's side of one backend thread, seen through its
 * {@link GuardedLoopThread}. It turns the
 * backend's events into guest callbacks (timers through {@link GuestTimers}, wake-ups into
 * {@code onEventWaitCancelled} of its {@link BoundHandlers} and into core hand-overs), opens the
 * thread's sockets and keeps its connections and listeners.
 *
 * <p><b>Threading:</b> {@link #door()}, {@link #post}, {@link #inLoop()} and the
 * identity getters from any thread; everything else on the loop thread (public methods check).
 */
final class CoreServiceThread implements ServiceThread, ThreadEvents {

    final CoreContext context;
    final GuardedLoopThread loop;
    private final int index;

    // Any thread.
    private final WakeupDoor door;

    // Loop thread only.
    private final GuestTimers timers;
    private final BoundHandlers bound = new BoundHandlers();
    /** Where a connection's own writes during its onData collect (see {@link WriteCork}). */
    final WriteCork cork = new WriteCork();
    private ByteBuffer readBuffer;
    /** The network buffers this thread's TLS connections share; made by the first one. */
    private TlsBuffers tlsBuffers;
    private CoreConnection connections;
    private final List<CoreListener> listeners = new ArrayList<>();
    private boolean shuttingDown;
    private boolean closed;

    CoreServiceThread(CoreContext context, int index, GuardedLoopThread loop) {
        this.context = context;
        this.index = index;
        this.loop = loop;
        this.timers = new GuestTimers(this, loop);
        this.door = new WakeupDoor(loop);
    }

    // ---- identity ----------------------------------------------------------------------------

    @Override
    public GuestContext context() {
        return context;
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public String name() {
        return loop.threadName();
    }

    @Override
    public boolean inLoop() {
        return loop.inLoop();
    }

    void checkInLoop(String what) {
        if (!loop.inLoop()) {
            throw new WrongThreadException(what, loop.threadName(), Thread.currentThread().getName());
        }
    }

    private void checkOpen(String what) {
        checkInLoop(what);
        if (closed) {
            throw new IllegalStateException(what + ": the guest context is closed");
        }
    }

    // ---- cross-thread door ------------------------------------------------------------------

    /** This thread's door: {@code onEventWaitCancelled} soon, on this thread only. Coalesced, never lost. Any thread. */
    @Override
    public void cancelService() {
        if (!door.cancelPending() && !context.isClosing()) {
            door.requestCancel();
        }
    }

    /** The door the context's {@code cancelService()} knocks on for this thread. Any thread. */
    WakeupDoor door() {
        return door;
    }

    /** Runs {@code task} on this thread soon (core hand-overs only). Any thread. */
    void post(Runnable task) {
        door.post(task);
    }

    // ---- ThreadEvents -----------------------------------------------------------------------

    @Override
    public void onWakeup() {
        int s = door.take();
        if ((s & WakeupDoor.TASKS) != 0) {
            door.runTasks(this);
        }
        if ((s & WakeupDoor.CANCEL) != 0 && !closed) {
            dispatchWaitCancelled();
        }
    }

    private void dispatchWaitCancelled() {
        for (Protocol p : context.spec.protocols()) {
            try {
                p.onEventWaitCancelled(this);
            } catch (Throwable t) {
                reportError(null, t);
            }
        }
        for (ConnectionHandler h : bound.snapshot()) {
            if (h instanceof Protocol && isProtocol(h)) {
                continue; // a protocol that is also a bound handler was told above: once per dispatch
            }
            try {
                h.onEventWaitCancelled(this);
            } catch (Throwable t) {
                reportError(null, t);
            }
        }
    }

    private boolean isProtocol(Object handler) {
        for (Protocol p : context.spec.protocols()) {
            if (p == handler) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void onTimer() {
        timers.fire();
    }

    @Override
    public void onHostLoopClosing() {
        context.hostLoopClosing(this);
    }

    // ---- timers -----------------------------------------------------------------------------

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(task, "task");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        checkOpen("ServiceThread.schedule");
        return scheduleInternal(Nanos.of(delay), task);
    }

    GuestTimer scheduleInternal(long delayNanos, Runnable task) {
        return timers.schedule(delayNanos, task);
    }

    boolean cancelTimer(GuestTimer timer) {
        return timers.cancel(timer);
    }

    // ---- sockets ----------------------------------------------------------------------------

    ByteBuffer readBuffer() {
        ByteBuffer b = readBuffer;
        if (b == null) {
            b = readBuffer = ByteBuffer.allocateDirect(context.spec.readBufferSize());
        }
        return b;
    }

    TlsBuffers tlsBuffers() {
        TlsBuffers b = tlsBuffers;
        if (b == null) {
            b = tlsBuffers = new TlsBuffers();
        }
        return b;
    }

    @Override
    public Listener listen(SocketAddress address, ConnectionHandler handler) throws IOException {
        return listenWith(address, null, handler);
    }

    @Override
    public Listener listen(SocketAddress address, ServerTls tls, ConnectionHandler handler) throws IOException {
        return listenWith(address, Objects.requireNonNull(tls, "tls"), handler);
    }

    private Listener listenWith(SocketAddress address, ServerTls tls, ConnectionHandler handler) throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(handler, "handler");
        checkOpen("ServiceThread.listen");
        CoreListener listener = CoreListener.bind(context.channels(), address, tls, handler);
        try {
            listener.start(this);
        } catch (IOException | RuntimeException e) {
            listener.closeInternal();
            throw e;
        }
        return listener;
    }

    @Override
    public Connection connect(SocketAddress address, Duration timeout, ConnectionHandler handler) throws IOException {
        return connectWith(address, timeout, null, handler);
    }

    @Override
    public Connection connect(SocketAddress address, Duration timeout, ClientTls tls, ConnectionHandler handler) throws IOException {
        return connectWith(address, timeout, Objects.requireNonNull(tls, "tls"), handler);
    }

    private Connection connectWith(SocketAddress address, Duration timeout, ClientTls tls, ConnectionHandler handler) throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(handler, "handler");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("connect timeout must be positive, was " + timeout);
        }
        checkOpen("ServiceThread.connect");
        boolean unix = address instanceof java.net.UnixDomainSocketAddress;
        SocketChannel ch = unix ? context.channels().openSocketChannel(java.net.StandardProtocolFamily.UNIX)
                : context.channels().openSocketChannel();
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
        CoreConnection conn = register(ch, handler, tls, address);
        if (failure != null) {
            IOException cause = failure;
            post(() -> conn.ioFailed(cause)); // never call back from inside connect()
        } else if (connected) {
            post(conn::open);
        } else {
            conn.awaitConnect(address, Nanos.of(timeout));
        }
        return conn;
    }

    @Override
    public Connection adopt(SelectableChannel channel, ConnectionHandler handler) throws IOException {
        return adoptWith(channel, null, handler);
    }

    @Override
    public Connection adopt(SelectableChannel channel, TlsConfig tls, ConnectionHandler handler) throws IOException {
        Objects.requireNonNull(tls, "tls");
        if (!(channel instanceof java.nio.channels.ByteChannel) || channel instanceof java.nio.channels.DatagramChannel) {
            throw new IllegalArgumentException("cannot adopt " + channel + " with TLS: TLS needs a stream that is read and "
                    + "written (a TCP or UNIX-domain SocketChannel), not " + (channel == null ? "null" : channel.getClass().getName()));
        }
        return adoptWith(channel, tls, handler);
    }

    private Connection adoptWith(SelectableChannel channel, TlsConfig tls, ConnectionHandler handler) throws IOException {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(handler, "handler");
        checkOpen("ServiceThread.adopt");
        if (!(channel instanceof ReadableByteChannel) && !(channel instanceof WritableByteChannel)) {
            throw new IllegalArgumentException("cannot adopt " + channel.getClass().getName()
                    + ": it is neither a ReadableByteChannel nor a WritableByteChannel (a listening socket? use listen)");
        }
        if (channel instanceof java.nio.channels.DatagramChannel d && !d.isConnected()) {
            throw new IllegalArgumentException("cannot adopt " + channel + ": a DatagramChannel must be connected to its peer "
                    + "(DatagramChannel.connect) to be a connection; it has no peer to read from or write to");
        }
        if (channel.provider() != context.channels()) {
            throw new IllegalArgumentException("cannot adopt " + channel + ": the " + context.backendName() + " loop of "
                    + name() + " watches only channels made by " + context.channels().getClass().getName()
                    + ", and this one comes from " + channel.provider().getClass().getName()
                    + "; open the channel with context().channelProvider() (openSocketChannel, openServerSocketChannel, "
                    + "openPipe, ...), or use listen or connect, which open channels this loop can watch");
        }
        channel.configureBlocking(false);
        CoreConnection conn = register(channel, handler, tls, tls == null ? null : peerOf(channel));
        post(conn::open); // never call back from inside adopt()
        return conn;
    }

    private static SocketAddress peerOf(SelectableChannel channel) {
        try {
            return channel instanceof SocketChannel s ? s.getRemoteAddress() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** A socket accepted by a listener (with TLS when {@code tls} is not null), handed to this thread. */
    void accepted(SocketChannel ch, ServerTls tls, ConnectionHandler handler) {
        try {
            if (closed || shuttingDown) {
                ch.close();
                return;
            }
            CoreListener.configureAccepted(ch);
            register(ch, handler, tls, tls == null ? null : peerOf(ch)).open();
        } catch (IOException e) {
            reportError(null, e);
            try {
                ch.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }

    private CoreConnection register(SelectableChannel ch, ConnectionHandler handler, TlsConfig tls, SocketAddress peer)
            throws IOException {
        CoreConnection conn = new CoreConnection(this, ch, handler, tls, peer);
        try {
            conn.registration = loop.register(ch, 0, conn);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        conn.next = connections;
        if (connections != null) {
            connections.prev = conn;
        }
        connections = conn;
        bindInternal(handler);
        return conn;
    }

    void connectionClosed(CoreConnection conn) {
        if (conn.prev != null) {
            conn.prev.next = conn.next;
        } else if (connections == conn) {
            connections = conn.next;
        }
        if (conn.next != null) {
            conn.next.prev = conn.prev;
        }
        conn.prev = conn.next = null;
        unbindInternal(conn.handler());
        if (shuttingDown && connections == null && !closed) {
            post(this::closeLocal); // after this connection's onClosed: onStop comes last
        }
    }

    void listenerOpened(CoreListener l) {
        listeners.add(l);
    }

    void listenerClosed(CoreListener l) {
        listeners.remove(l);
    }

    // ---- bound handlers ---------------------------------------------------------------------

    @Override
    public void bind(ConnectionHandler handler) {
        Objects.requireNonNull(handler, "handler");
        checkInLoop("ServiceThread.bind");
        bindInternal(handler);
    }

    @Override
    public void unbind(ConnectionHandler handler) {
        Objects.requireNonNull(handler, "handler");
        checkInLoop("ServiceThread.unbind");
        unbindInternal(handler);
    }

    void bindInternal(ConnectionHandler handler) {
        bound.bind(handler);
    }

    void unbindInternal(ConnectionHandler handler) {
        bound.unbind(handler);
    }

    // ---- lifecycle --------------------------------------------------------------------------

    /** First task on the loop: protocols start, listeners of the builder begin accepting. */
    void startLocal(List<CoreListener> initialListeners) {
        for (CoreListener l : initialListeners) {
            try {
                l.start(this);
            } catch (IOException | RuntimeException e) {
                reportError(null, e);
                l.closeInternal();
            }
        }
        for (Protocol p : context.spec.protocols()) {
            try {
                p.onStart(this);
            } catch (Throwable t) {
                reportError(null, t);
            }
        }
    }

    /**
     * The polite first step of a close: listeners stop accepting, every connection hears
     * {@code onShutdown}, and the thread closes when its last connection has closed or
     * {@code graceNanos} from now, whichever comes first. Loop thread.
     */
    void shutdownLocal(long graceNanos) {
        if (closed || shuttingDown) {
            return;
        }
        shuttingDown = true;
        for (CoreListener l : listeners.toArray(new CoreListener[0])) {
            l.closeInternal();
        }
        List<CoreConnection> open = new ArrayList<>();
        for (CoreConnection c = connections; c != null; c = c.next) {
            open.add(c);
        }
        for (CoreConnection c : open) {
            c.shutdown();
        }
        if (connections == null) {
            closeLocal();
        } else {
            scheduleInternal(graceNanos, this::closeLocal);
        }
    }

    /** Releases every guest resource of this thread. Idempotent; loop thread. */
    void closeLocal() {
        if (closed) {
            return;
        }
        closed = true;
        for (CoreListener l : listeners.toArray(new CoreListener[0])) {
            l.closeInternal();
        }
        while (connections != null) {
            connections.closeWith(null);
        }
        timers.clear();
        for (Protocol p : context.spec.protocols()) {
            try {
                p.onStop(this);
            } catch (Throwable t) {
                reportError(null, t);
            }
        }
        bound.clear();
        loop.release(!context.isHostLeaving(), () -> context.threadClosed(this));
    }

    void reportError(Connection connection, Throwable error) {
        context.reportError(this, connection, error);
    }

    @Override
    public String toString() {
        return "ServiceThread[" + index + ", " + loop.threadName() + "]";
    }
}
