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
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One service thread of a context: the guest's side of one backend thread, seen through its
 * {@link GuardedLoopThread}. It turns the
 * backend's events into guest callbacks (timers through {@link GuestTimers}, wake-ups into
 * {@code onEventWaitCancelled} of its {@link BoundHandlers} and into core hand-overs), opens the
 * thread's sockets (through its {@link SocketOpener}), keeps them ({@link OpenSockets}) and runs
 * the thread's start and its shutdown.
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
    private final OpenSockets sockets = new OpenSockets();
    private final SocketOpener opener = new SocketOpener(this);
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

    void checkOpen(String what) {
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
        return opener.listen(address, null, handler);
    }

    @Override
    public Listener listen(SocketAddress address, ServerTls tls, ConnectionHandler handler) throws IOException {
        return opener.listen(address, Objects.requireNonNull(tls, "tls"), handler);
    }

    @Override
    public Connection connect(SocketAddress address, Duration timeout, ConnectionHandler handler) throws IOException {
        return opener.connect(address, timeout, null, handler);
    }

    @Override
    public Connection connect(SocketAddress address, Duration timeout, ClientTls tls, ConnectionHandler handler) throws IOException {
        return opener.connect(address, timeout, Objects.requireNonNull(tls, "tls"), handler);
    }

    @Override
    public Connection adopt(SelectableChannel channel, ConnectionHandler handler) throws IOException {
        return opener.adopt(channel, null, handler);
    }

    @Override
    public Connection adopt(SelectableChannel channel, TlsConfig tls, ConnectionHandler handler) throws IOException {
        return opener.adopt(channel, Objects.requireNonNull(tls, "tls"), handler);
    }

    /** A socket accepted by a listener (with TLS when {@code tls} is not null), handed to this thread. */
    void accepted(SocketChannel ch, ServerTls tls, ConnectionHandler handler) {
        try {
            if (closed || shuttingDown) {
                ch.close();
                return;
            }
            CoreListener.configureAccepted(ch);
            register(ch, handler, tls, tls == null ? null : SocketOpener.peerOf(ch)).open();
        } catch (IOException e) {
            reportError(null, e);
            try {
                ch.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }

    /** Makes a guest connection of {@code ch} on this thread and registers it with the loop; when the loop refuses it, {@code ch} is closed. */
    CoreConnection register(SelectableChannel ch, ConnectionHandler handler, TlsConfig tls, SocketAddress peer)
            throws IOException {
        CoreConnection conn = new CoreConnection(this, ch, handler, tls, peer);
        try {
            conn.interest.registered(loop.register(ch, 0, conn));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        sockets.add(conn);
        bindInternal(handler);
        return conn;
    }

    void connectionClosed(CoreConnection conn) {
        sockets.remove(conn);
        unbindInternal(conn.handler());
        if (shuttingDown && !sockets.hasConnections() && !closed) {
            post(this::closeLocal); // after this connection's onClosed: onStop comes last
        }
    }

    void listenerOpened(CoreListener l) {
        sockets.add(l);
    }

    void listenerClosed(CoreListener l) {
        sockets.remove(l);
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
        sockets.closeListeners();
        sockets.shutdownConnections();
        if (!sockets.hasConnections()) {
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
        sockets.closeListeners();
        sockets.closeConnections();
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
