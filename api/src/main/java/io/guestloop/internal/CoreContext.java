package io.guestloop.internal;

import io.guestloop.Connection;
import io.guestloop.ErrorHandler;
import io.guestloop.GuestContext;
import io.guestloop.Listener;
import io.guestloop.ServiceThread;
import io.guestloop.spi.LoopOps;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running guest context: its service threads over one backend, and the close sequence (every
 * thread releases its resources on its own loop, then the backend is closed).
 *
 * <p><b>Threading:</b> the {@link GuestContext} methods from any thread; the package-private
 * callbacks from the service thread named in them.
 */
final class CoreContext implements GuestContext {

    private static final System.Logger LOG = System.getLogger("io.guestloop");

    private static final VarHandle CLOSING;

    static {
        try {
            CLOSING = MethodHandles.lookup().findVarHandle(CoreContext.class, "closing", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final ContextSpec spec;
    private final String backendName;
    private final GuardedLoopOps ops;
    private final SelectorProvider channels;
    private final List<CoreServiceThread> threads;
    /** Every thread's wake-up door, for {@link #cancelService()}: an array, one load from a door. */
    private final WakeupDoor[] doors;
    /** The door when there is one thread, else null: a coalesced call is then two loads, as the bare flag pattern's. */
    private final WakeupDoor onlyDoor;
    private final List<Listener> listeners;
    private final ErrorHandler errorHandler;
    private final List<LoopMonitor> monitors = new ArrayList<>();
    /** Set once by {@link #close()} (or a host loop leaving); a field of its own, read by every {@link #cancelService()}. */
    private volatile boolean closing;
    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    /** Set when a host loop goes away under the guest: its loops may not poll again. */
    private volatile boolean hostLeaving;
    private final AtomicInteger threadsOpen;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    CoreContext(ContextSpec spec, String backendName, LoopOps backend, List<CoreListener> listeners) {
        this.spec = spec;
        this.backendName = backendName;
        this.listeners = List.copyOf(listeners);
        this.errorHandler = spec.errorHandler() != null ? spec.errorHandler() : CoreContext::logError;
        long threshold = Nanos.of(spec.watchdogThreshold());
        this.ops = new GuardedLoopOps(backend, backendName, i -> {
            if (threshold <= 0) {
                return LoopMonitor.unwatched(backendName);
            }
            LoopMonitor monitor = Watchdog.INSTANCE.add(threshold, backendName);
            monitors.add(monitor);
            return monitor;
        });
        this.channels = ops.channelProvider();
        List<CoreServiceThread> list = new ArrayList<>(ops.threads().size());
        for (int i = 0; i < ops.threads().size(); i++) {
            list.add(new CoreServiceThread(this, i, ops.threads().get(i)));
        }
        this.threads = List.copyOf(list);
        this.doors = new WakeupDoor[list.size()];
        for (int i = 0; i < doors.length; i++) {
            doors[i] = list.get(i).door();
        }
        this.onlyDoor = doors.length == 1 ? doors[0] : null;
        this.threadsOpen = new AtomicInteger(threads.size());
    }

    /** Makes the channels this context's loops can watch. Any thread. */
    SelectorProvider channels() {
        return channels;
    }

    /** True once close began (or the host loop went away). Any thread. */
    boolean isClosing() {
        return closing;
    }

    /** True once a host loop went away under the guest. Any thread. */
    boolean isHostLeaving() {
        return hostLeaving;
    }

    /** Starts delivery on every thread and queues each thread's start-up work. */
    void start(List<CoreListener> initialListeners) {
        for (int i = 0; i < threads.size(); i++) {
            CoreServiceThread t = threads.get(i);
            t.loop.start(t);
            List<CoreListener> mine = i == 0 ? initialListeners : List.of();
            t.post(() -> t.startLocal(mine));
        }
    }

    List<CoreServiceThread> coreThreads() {
        return threads;
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<ServiceThread> serviceThreads() {
        return (List<ServiceThread>) (List<? extends ServiceThread>) threads;
    }

    @Override
    public String backendName() {
        return backendName;
    }

    @Override
    public SelectorProvider channelProvider() {
        return channels;
    }

    @Override
    public List<Listener> listeners() {
        return listeners;
    }

    @Override
    public void cancelService() {
        // A door with a request on its way costs one load; the closing check is for the others.
        WakeupDoor only = onlyDoor;
        if (only != null) {
            if (!only.cancelPending() && !closing) {
                only.requestCancel();
            }
            return;
        }
        for (WakeupDoor door : doors) {
            if (!door.cancelPending() && !closing) {
                door.requestCancel();
            }
        }
    }

    @Override
    public CompletionStage<Void> close() {
        if (CLOSING.compareAndSet(this, false, true)) {
            for (CoreServiceThread t : threads) {
                t.post(t::closeLocal);
            }
        }
        return closed.copy();
    }

    @Override
    public CompletionStage<Void> shutdown(java.time.Duration grace) {
        java.util.Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("the grace of a shutdown must not be negative, was " + grace);
        }
        if (grace.isZero()) {
            return close();
        }
        if (!closing && shuttingDown.compareAndSet(false, true)) {
            long nanos = Nanos.of(grace);
            for (CoreServiceThread t : threads) {
                t.post(() -> t.shutdownLocal(nanos));
            }
        }
        return closed.copy();
    }

    @Override
    public CompletionStage<Void> closed() {
        return closed.copy();
    }

    @Override
    public void run() {
        if (!spec.runOnCaller()) {
            throw new IllegalStateException("run() is only for a context built with runOnCallingThread(); this one runs on "
                    + backendName + " threads already");
        }
        ops.run();
    }

    /** The host loop is going away under {@code thread}: release it now, and the rest of the context. */
    void hostLoopClosing(CoreServiceThread thread) {
        LOG.log(System.Logger.Level.INFO, () -> "host loop of " + thread + " is shutting down; closing the guest context");
        closing = true;
        hostLeaving = true;
        thread.closeLocal();
        for (CoreServiceThread t : threads) {
            if (t != thread) {
                t.post(t::closeLocal);
            }
        }
    }

    /** Called once by each thread when it has released everything; the last one closes the backend. */
    void threadClosed(CoreServiceThread thread) {
        if (threadsOpen.decrementAndGet() != 0) {
            return;
        }
        for (LoopMonitor m : monitors) {
            Watchdog.INSTANCE.remove(m);
        }
        ops.close().whenComplete((v, e) -> {
            if (e != null) {
                closed.completeExceptionally(e);
            } else {
                closed.complete(null);
            }
        });
    }

    void reportError(CoreServiceThread thread, Connection connection, Throwable error) {
        try {
            errorHandler.onError(thread, connection, error);
        } catch (Throwable t) {
            t.addSuppressed(error);
            logError(thread, connection, t);
        }
        try {
            thread.loop.guestFailed(error);
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, "backend " + backendName + " threw from guestFailed on " + thread, t);
        }
    }

    private static void logError(ServiceThread thread, Connection connection, Throwable error) {
        LOG.log(System.Logger.Level.WARNING, "guest callback failed on " + thread
                + (connection != null ? " for " + connection + "; the connection is closed" : ""), error);
    }

    @Override
    public String toString() {
        return "GuestContext[" + backendName + ", " + threads.size() + " thread(s)" + (closing ? ", closed]" : "]");
    }
}
