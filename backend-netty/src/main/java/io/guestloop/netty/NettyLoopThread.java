package io.guestloop.netty;

import io.guestloop.spi.LoopThread;
import io.guestloop.spi.ReadyListener;
import io.guestloop.spi.Registration;
import io.guestloop.spi.ThreadEvents;
import io.netty.channel.IoEventLoop;
import io.netty.channel.nio.NioIoHandle;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.SelectableChannel;
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
import java.util.function.IntConsumer;

/**
 * One borrowed Netty {@link IoEventLoop} (NIO) as a guest service thread. Guest channels go into the
 * loop's own selector ({@link NettyRegistration}), the timer is a task on the loop's scheduler
 * ({@link LoopTimer}) and a wake-up a task on its scheduled-task queue, so every guest callback runs
 * on the very thread that runs the host's channels, between the host's own events, and enters the
 * host through the thread's {@link HostGate}.
 *
 * <p>Public for backends built on Netty loops that another framework owns (the vertx backend): such
 * a backend makes one thread per loop with a gate of its own and hands them to
 * {@link NettyLoopOps#NettyLoopOps(List)}. The netty backend's threads use a gate that runs callbacks
 * directly.
 *
 * <p><b>Host shutdown.</b> When the host goes away, the guest hears
 * {@link ThreadEvents#onHostLoopClosing()} once, on the loop thread, from whichever comes first: the
 * gate's notice ({@link HostGate#watchHost}: the loop's shutdown hook on Netty, the context's close
 * hook on Vert.x) or the loop's {@code IoHandler} releasing the guest's handles as the loop shuts
 * down. If neither could run on the loop (it terminated in a race with {@link #start}), the loop's
 * termination delivers it on the thread that completes the termination, when no loop thread exists
 * any more. Once the guest closes ({@link NettyLoopOps#close()}), it hears nothing of it.
 *
 * <p><b>Threading:</b> {@link #wakeup()}, {@link #inLoop()}, {@link #threadName()}, {@link #start},
 * {@link #hostLeaving}, {@link #gate()} and closing may be called from any thread; every other
 * method only on the loop thread.
 */
public final class NettyLoopThread implements LoopThread {

    private static final System.Logger LOG = System.getLogger(NettyLoopThread.class.getName());

    private final IoEventLoop loop;
    private final HostGate gate;
    private final LoopTimer timer;
    private final LoopWakeup wakeup;
    private final AtomicBoolean hostClosingDelivered = new AtomicBoolean();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    /** Made once by the gate: each callback then enters the host without allocating. */
    private final IntConsumer wakeupEntry;
    private final IntConsumer timerEntry;
    private final IntConsumer hostClosingEntry;
    private final GenericFutureListener<Future<Object>> terminationListener = f -> handleHostTerminated();
    /** Loop thread only. */
    private final Map<SelectableChannel, NettyRegistration> registrations = new IdentityHashMap<>();
    /** Loop thread only: close() completes once the selector has let go of all of them. */
    private final CancelledKeys cancelledKeys = new CancelledKeys();

    private volatile ThreadEvents events;
    private volatile String threadName;
    /** Set by {@link #close()}: from then on wakeups are not even queued. */
    private volatile boolean closeRequested;
    /** Set on the loop once everything is released: from then on no callback is delivered. */
    private volatile boolean closed;

    /**
     * @param loop            the loop to serve; it must take {@code NioIoHandle}s (a NIO loop)
     * @param provisionalName the thread's name in messages until the loop thread is known
     * @param gate            how callbacks enter the host and how the host's leaving is heard; this
     *                        thread's own
     * @throws IllegalArgumentException when the loop is not a NIO loop
     */
    public NettyLoopThread(IoEventLoop loop, String provisionalName, HostGate gate) {
        if (!loop.isCompatible(NioIoHandle.class)) {
            throw new IllegalArgumentException("A guest service thread needs a Netty NIO loop (one that takes a NioIoHandle), "
                    + "found " + loop + " (" + loop.getClass().getName() + "); check the host loop before making the thread.");
        }
        this.loop = loop;
        this.gate = Objects.requireNonNull(gate, "gate");
        this.threadName = Objects.requireNonNull(provisionalName, "provisionalName");
        this.timer = new LoopTimer(loop, this::runTimer);
        this.wakeup = new LoopWakeup(loop, this::runWakeup);
        this.wakeupEntry = gate.entry(unused -> events.onWakeup());
        this.timerEntry = gate.entry(unused -> events.onTimer());
        this.hostClosingEntry = gate.entry(unused -> events.onHostLoopClosing());
    }

    /** The Netty loop served. Any thread. */
    IoEventLoop loop() {
        return loop;
    }

    /** The gate this thread's callbacks enter the host through. Any thread. */
    public HostGate gate() {
        return gate;
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
        loop.terminationFuture().addListener(terminationListener);
        runOnLoop(() -> threadName = Thread.currentThread().getName());
        gate.watchHost(this);
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
        registration.attach(loop, interestOps);
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

    /** Runs onWakeup after the loop's next I/O pass and due timers, never in its task batch ({@link LoopWakeup}). */
    @Override
    public void wakeup() {
        if (!closeRequested) {
            wakeup.request();
        }
    }

    /** Passes on to the gate, which hands it to the host's error reporting (if it has any). */
    @Override
    public void guestFailed(Throwable error) {
        gate.guestFailed(error);
    }

    /**
     * For the {@link HostGate}: the host is leaving. Tells the guest
     * {@link ThreadEvents#onHostLoopClosing()} once, on the loop thread (unless it heard already, or
     * is closed or closing), then runs {@code then} there, after the guest's callback has returned.
     * Any thread: on the loop thread it runs now, else it is queued on the loop.
     *
     * @param then run on the loop thread afterwards, even when the guest was not told; may be null
     * @return false when the loop takes no more tasks: nothing ran (the loop's termination tells the
     *         guest instead), and {@code then} is the caller's to run
     */
    public boolean hostLeaving(Runnable then) {
        return runOnLoop(() -> {
            try {
                deliverHostClosing();
            } finally {
                if (then != null) {
                    then.run();
                }
            }
        });
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

    // ---- used by NettyRegistration and DirectGate ----

    /** True while callbacks may reach the guest. */
    boolean delivering() {
        return !closed;
    }

    void forget(NettyRegistration registration) {
        registrations.remove(registration.channel(), registration);
    }

    /** Remembers a key just cancelled until the selector has let it go. */
    void cancelled(Object key) {
        cancelledKeys.add(key);
    }

    /** Netty released a handle of ours; only a loop that is shutting down means the host is leaving. */
    void handleClosedByLoop() {
        if (loop.isShuttingDown()) {
            deliverHostClosing();
        }
    }

    void logCallbackFailure(String what, Throwable t) {
        LOG.log(Level.ERROR, "guest callback " + what + " threw on " + gate.loopKind() + " thread " + threadName
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
        if (!closed) {
            enter(wakeupEntry, "onWakeup");
        }
    }

    private void runTimer() {
        if (!closed) {
            enter(timerEntry, "onTimer");
        }
    }

    /** On the loop thread while the host goes away (or, once the loop is gone, where that was seen). */
    private void deliverHostClosing() {
        if (closed || closeRequested || !hostClosingDelivered.compareAndSet(false, true)) {
            return;
        }
        LOG.log(Level.DEBUG, () -> gate.loopKind() + " " + threadName + " is going away under a live guest; telling the guest");
        enter(hostClosingEntry, "onHostLoopClosing");
    }

    private void enter(IntConsumer entry, String what) {
        try {
            entry.accept(0);
        } catch (Throwable t) {
            rethrowFatal(t);
            logCallbackFailure(what, t);
        }
    }

    /** The loop terminated: the last chance to tell a guest that heard nothing on the loop thread. */
    private void handleHostTerminated() {
        if (!closed && !closeRequested && !hostClosingDelivered.get()) {
            LOG.log(Level.WARNING, gate.loopKind() + " " + threadName + " terminated before the guest could be told on it; "
                    + "telling the guest from " + Thread.currentThread().getName());
            deliverHostClosing();
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
        gate.unwatchHost(this);
        // A long-lived host loop must not collect one listener per guest context it ever served.
        loop.terminationFuture().removeListener(terminationListener);
    }

    /**
     * Completes the close once the selector has dropped every key the guest cancelled. A task
     * scheduled with no delay runs only after the loop's next I/O pass, which selects without
     * blocking because the task is due.
     */
    private void completeWhenDeregistered() {
        // A loop shutting down drops scheduled tasks and closes its selector as it ends: nothing to wait for.
        if (cancelledKeys.allLetGo() || loop.isShuttingDown()) {
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
            throw new IllegalStateException(method + " must be called on the " + gate.loopKind() + " thread " + threadName
                    + " but was called on " + Thread.currentThread().getName()
                    + "; only wakeup() may be called from other threads");
        }
    }

    @Override
    public String toString() {
        return "NettyLoopThread[" + threadName + ", " + gate + "]";
    }
}
