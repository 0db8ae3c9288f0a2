package io.guestloop.netty;

import io.guestloop.spi.LoopThread;
import io.guestloop.spi.ReadyListener;
import io.guestloop.spi.Registration;
import io.guestloop.spi.ThreadEvents;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import io.netty.util.concurrent.SingleThreadEventExecutor;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One borrowed Netty {@link IoEventLoop} as a guest service thread. Guest channels go into the loop's
 * own selector ({@link NettyRegistration}), the timer is a task on the loop's scheduler
 * ({@link LoopTimer}) and a wakeup is a task on its queue, so every guest callback runs on the very
 * thread that runs the host's channels, between the host's own events.
 *
 * <p><b>Host shutdown.</b> When the host shuts the loop down, the guest hears
 * {@link ThreadEvents#onHostLoopClosing()} once, on the loop thread, from whichever comes first: the
 * loop's {@code IoHandler} releasing the guest's handles as it is destroyed, or a shutdown hook of the
 * loop (needed when the guest has no channel there). If neither could run on the loop (it terminated
 * in a race with {@link #start}), the loop's termination delivers it on the thread that completes the
 * termination, when no loop thread exists any more.
 *
 * <p><b>Threading:</b> {@link #wakeup()}, {@link #inLoop()}, {@link #threadName()}, {@link #start}
 * and {@link #close()} may be called from any thread; every other method only on the loop thread.
 */
final class NettyLoopThread implements LoopThread {

    private static final System.Logger LOG = System.getLogger(NettyLoopThread.class.getName());

    private final IoEventLoop loop;
    private final LoopTimer timer;
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final AtomicBoolean hostClosingDelivered = new AtomicBoolean();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private final Runnable wakeupTask = this::runWakeup;
    private final Runnable deferWakeup = this::deferWakeup;
    private final Runnable shutdownHook = this::handleHostShutdown;
    private final GenericFutureListener<Future<Object>> terminationListener = f -> handleHostTerminated();
    /** Loop thread only. */
    private final Map<SelectableChannel, NettyRegistration> registrations = new IdentityHashMap<>();
    /**
     * Loop thread only: keys cancelled but maybe still in the selector. The JDK lets a cancelled key
     * go, and really closes a channel closed meanwhile (a guest listener stops accepting), only at the
     * selector's next selection; close() completes once that has happened for every one of them.
     */
    private final List<SelectionKey> cancelledKeys = new ArrayList<>();

    private volatile ThreadEvents events;
    private volatile String threadName;
    /** Set by {@link #close()}: from then on wakeups are not even queued. */
    private volatile boolean closeRequested;
    /** Set on the loop once everything is released: from then on no callback is delivered. */
    private volatile boolean closed;

    NettyLoopThread(IoEventLoop loop, int index) {
        this.loop = loop;
        this.timer = new LoopTimer(loop, this::runTimer);
        this.threadName = "netty loop " + index + " (" + loop.getClass().getSimpleName() + ", not started)";
    }

    /** The Netty loop served. */
    IoEventLoop loop() {
        return loop;
    }

    @Override
    public boolean inLoop() {
        return loop.inEventLoop();
    }

    @Override
    public String threadName() {
        return threadName;
    }

    @Override
    public void start(ThreadEvents threadEvents) {
        Objects.requireNonNull(threadEvents, "events");
        if (events != null) {
            throw new IllegalStateException("start(...) called twice on " + threadName);
        }
        events = threadEvents;
        if (loop instanceof SingleThreadEventExecutor) {
            try {
                ((SingleThreadEventExecutor) loop).addShutdownHook(shutdownHook);
            } catch (RejectedExecutionException e) {
                // Already shutting down; the termination listener below still tells the guest.
            }
        }
        loop.terminationFuture().addListener(terminationListener);
        runOnLoop(() -> threadName = Thread.currentThread().getName());
    }

    @Override
    public Registration register(SelectableChannel channel, int interestOps, ReadyListener listener) throws IOException {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(listener, "listener");
        checkOnLoop("register");
        checkOps(channel, interestOps);
        if (closed) {
            throw new IOException("cannot watch " + channel + ": the guest service thread " + threadName + " is closed");
        }
        if (registrations.containsKey(channel)) {
            throw new IllegalArgumentException(channel + " is already registered with " + threadName
                    + "; change its interest set through its Registration instead");
        }
        NettyRegistration registration = new NettyRegistration(this, channel, listener);
        // On the loop thread, Netty registers synchronously: the future is already done here.
        Future<IoRegistration> future = loop.register(registration.handle());
        if (!future.isDone()) {
            throw new IllegalStateException("Netty did not register " + channel + " synchronously on its loop thread "
                    + threadName + "; this Netty version is not supported");
        }
        if (!future.isSuccess()) {
            throw registrationFailure(channel, future.cause());
        }
        registration.attach(future.getNow(), interestOps);
        registrations.put(channel, registration);
        return registration;
    }

    @Override
    public void armTimer(long deadlineNanos) {
        checkOnLoop("armTimer");
        if (!closed) {
            timer.arm(deadlineNanos);
        }
    }

    @Override
    public void disarmTimer() {
        checkOnLoop("disarmTimer");
        timer.disarm();
    }

    @Override
    public void wakeup() {
        if (closeRequested || !wakeupPending.compareAndSet(false, true)) {
            return;
        }
        try {
            if (loop.inEventLoop()) {
                deferWakeup();
            } else {
                loop.execute(deferWakeup);
            }
        } catch (RejectedExecutionException e) {
            // The host loop has shut down; the guest hears onHostLoopClosing, not this wakeup.
            wakeupPending.set(false);
        }
    }

    /**
     * Puts the wake-up on the loop's scheduled-task queue rather than its task queue. A Netty loop
     * runs every task queued during its task batch in that same batch (for up to a second), but
     * takes scheduled tasks only when a batch starts, after its I/O pass: so a wake-up asked for
     * while onWakeup runs waits for the loop to poll its sockets and run due timers first, and a
     * sender that never stops cannot starve them.
     */
    private void deferWakeup() {
        loop.schedule(wakeupTask, 0, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** True when the timer has a task on the loop's scheduler (loop thread only; for tests). */
    boolean timerScheduled() {
        return timer.hasScheduledTask();
    }

    /** How many guest channels this thread watches (loop thread only; for tests). */
    int registrationCount() {
        return registrations.size();
    }

    /**
     * Releases everything the guest left on this loop, on the loop thread, and completes when done.
     * Called on the loop thread (from inside a guest callback, say), it releases at once, so that no
     * further callback is delivered, but completes only after the running callback has returned.
     * Never shuts the loop down. Idempotent.
     */
    CompletionStage<Void> close() {
        closeRequested = true;
        if (closeFuture.isDone()) {
            return closeFuture;
        }
        boolean queued;
        if (loop.inEventLoop()) {
            release();
            queued = tryExecute(this::completeWhenDeregistered);
        } else {
            queued = tryExecute(() -> {
                release();
                completeWhenDeregistered();
            });
        }
        if (!queued) {
            // The loop no longer takes tasks: once it has terminated nothing of the guest is left on it.
            loop.terminationFuture().addListener(f -> finishWithoutLoop());
        }
        return closeFuture;
    }

    // ---- used by NettyRegistration ----

    /** True while callbacks may reach the guest. */
    boolean delivering() {
        return !closed;
    }

    void forget(NettyRegistration registration) {
        registrations.remove(registration.channel(), registration);
    }

    /** Remembers a key just cancelled until the selector has let it go. */
    void cancelled(Object key) {
        if (key instanceof SelectionKey) {
            if (cancelledKeys.size() >= 64) {
                cancelledKeys.removeIf(NettyLoopThread::deregistered);
            }
            cancelledKeys.add((SelectionKey) key);
        }
    }

    /** Netty released a handle of ours; only a loop that is shutting down means the host is leaving. */
    void handleClosedByLoop() {
        if (loop.isShuttingDown()) {
            handleHostShutdown();
        }
    }

    void logCallbackFailure(String what, Throwable t) {
        LOG.log(Level.ERROR, "guest callback " + what + " threw on Netty loop thread " + threadName
                + "; the loop goes on serving every other registration", t);
    }

    static void checkOps(SelectableChannel channel, int ops) {
        if ((ops & ~channel.validOps()) != 0) {
            throw new IllegalArgumentException("interest ops " + ops + " are not a subset of the valid ops "
                    + channel.validOps() + " of " + channel);
        }
    }

    static void rethrowFatal(Throwable t) {
        if (t instanceof VirtualMachineError) {
            throw (VirtualMachineError) t;
        }
    }

    // ---- internals ----

    private void runWakeup() {
        // Cleared before the callback so that a wakeup() made during onWakeup queues another one.
        wakeupPending.set(false);
        if (closed) {
            return;
        }
        try {
            events.onWakeup();
        } catch (Throwable t) {
            rethrowFatal(t);
            logCallbackFailure("onWakeup", t);
        }
    }

    private void runTimer() {
        if (closed) {
            return;
        }
        try {
            events.onTimer();
        } catch (Throwable t) {
            rethrowFatal(t);
            logCallbackFailure("onTimer", t);
        }
    }

    /** On the loop thread, while the loop shuts down. */
    private void handleHostShutdown() {
        if (closed || !hostClosingDelivered.compareAndSet(false, true)) {
            return;
        }
        LOG.log(Level.DEBUG, "Netty loop " + threadName + " is shutting down under a live guest; telling the guest");
        try {
            events.onHostLoopClosing();
        } catch (Throwable t) {
            rethrowFatal(t);
            logCallbackFailure("onHostLoopClosing", t);
        }
    }

    /** The loop terminated: the last chance to tell a guest that heard nothing on the loop thread. */
    private void handleHostTerminated() {
        if (!closed && !closeRequested && !hostClosingDelivered.get()) {
            LOG.log(Level.WARNING, "Netty loop " + threadName + " terminated before the guest could be told on it; "
                    + "telling the guest from " + Thread.currentThread().getName());
            handleHostShutdown();
        }
        finishWithoutLoop();
    }

    /** Loop thread: cancels every registration and the timer; nothing is delivered afterwards. */
    private void release() {
        if (closed) {
            return;
        }
        closed = true;
        timer.disarm();
        for (NettyRegistration registration : new ArrayList<>(registrations.values())) {
            registration.release();
        }
        registrations.clear();
        if (loop instanceof SingleThreadEventExecutor) {
            ((SingleThreadEventExecutor) loop).removeShutdownHook(shutdownHook);
        }
        // A long-lived host loop must not collect one listener per guest context it ever served.
        loop.terminationFuture().removeListener(terminationListener);
    }

    /**
     * Completes the close once the selector has dropped every key the guest cancelled. A task
     * scheduled with no delay runs only after the loop's next I/O pass, which selects without
     * blocking because the task is due.
     */
    private void completeWhenDeregistered() {
        cancelledKeys.removeIf(NettyLoopThread::deregistered);
        // A loop shutting down drops scheduled tasks and closes its selector as it ends: nothing to wait for.
        if (cancelledKeys.isEmpty() || loop.isShuttingDown()) {
            cancelledKeys.clear();
            closeFuture.complete(null);
            return;
        }
        try {
            loop.schedule(this::completeWhenDeregistered, 0, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            loop.terminationFuture().addListener(f -> finishWithoutLoop());
        }
    }

    private static boolean deregistered(SelectionKey key) {
        try {
            return !key.selector().keys().contains(key);
        } catch (ClosedSelectorException e) {
            return true;
        }
    }

    /**
     * The loop is gone: its IoHandler released every handle and its scheduler dropped every task, so
     * nothing of the guest is left on it.
     */
    private void finishWithoutLoop() {
        if (loop.isTerminated()) {
            closed = true;
            closeFuture.complete(null);
        }
    }

    /** Runs {@code task} on the loop (now when already there); false when the loop rejects it. */
    private boolean runOnLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
            return true;
        }
        return tryExecute(task);
    }

    /** Queues {@code task} on the loop, even from the loop thread; false when the loop rejects it. */
    private boolean tryExecute(Runnable task) {
        try {
            loop.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private void checkOnLoop(String method) {
        // A terminated loop has no thread left: the guest's last cleanup runs where it was told of the end.
        if (!loop.inEventLoop() && !loop.isTerminated()) {
            throw new IllegalStateException(method + " must be called on the Netty loop thread " + threadName
                    + " but was called on " + Thread.currentThread().getName()
                    + "; only wakeup() may be called from other threads");
        }
    }

    private static IOException registrationFailure(SelectableChannel channel, Throwable cause) {
        if (cause instanceof IOException) {
            return (IOException) cause;
        }
        if (cause instanceof RuntimeException) {
            throw (RuntimeException) cause;
        }
        return new IOException("the Netty loop could not watch " + channel + ": " + cause, cause);
    }

    @Override
    public String toString() {
        return "NettyLoopThread[" + threadName + "]";
    }
}
