package io.guestloop.netty;

import io.guestloop.spi.LoopThread;
import io.guestloop.spi.ReadyListener;
import io.guestloop.spi.Registration;
import io.guestloop.spi.ThreadEvents;
import io.netty.channel.IoEventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.SelectableChannel;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * One borrowed Netty {@link IoEventLoop} (NIO, epoll or io_uring) as a guest service thread. Guest
 * channels are watched by the loop's own {@code IoHandler} ({@link NettyRegistration}, with a
 * {@link Watch} of the loop's {@link LoopKind}), the timer is a task on the loop's scheduler
 * ({@link LoopTimer}) and a wake-up a task on its queue, so every guest callback runs on the very
 * thread that runs the host's channels, between the host's own events, and enters the host through
 * the thread's {@link HostGate}.
 *
 * <p>Public for backends built on Netty loops that another framework owns (the vertx backend): such
 * a backend makes one thread per loop with a gate of its own and hands them to
 * {@link NettyLoopOps#NettyLoopOps(java.util.List)}. The netty backend's threads use a gate that runs
 * callbacks directly.
 *
 * <p><b>Host shutdown.</b> When the host goes away, the guest hears
 * {@link ThreadEvents#onHostLoopClosing()} on the loop thread from whichever comes first: the gate's
 * notice ({@link HostGate#watchHost}: the loop's shutdown hook on Netty, the context's close hook on
 * Vert.x) or the loop's {@code IoHandler} releasing the guest's handles as the loop shuts down. If
 * neither could run on the loop (it terminated in a race with {@link #start}), the loop's
 * termination delivers it on the thread that completes the termination, when no loop thread exists
 * any more; {@link #inLoop()} is then true for that thread, which owns the guest's last cleanup.
 *
 * <p><b>Threading:</b> {@link #wakeup()}, {@link #inLoop()}, {@link #start}, {@link #hostLeaving}
 * and {@link #gate()} from any thread; every other method on the loop thread.
 */
public final class NettyLoopThread implements LoopThread {

    private static final System.Logger LOG = System.getLogger(NettyLoopThread.class.getName());

    private final IoEventLoop loop;
    private final HostGate gate;
    private final String name;
    private final LoopTimer timer;
    private final AtomicBoolean hostClosingDelivered = new AtomicBoolean();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    /** Made once by the gate: each callback then enters the host without allocating. */
    private final IntConsumer wakeupEntry;
    private final IntConsumer timerEntry;
    private final IntConsumer hostClosingEntry;
    private final Runnable wakeupTask;
    private final GenericFutureListener<Future<Object>> terminationListener = f -> handleHostTerminated();
    /** Completes a close that waits on a scheduled check, should the loop terminate first and drop it. */
    private final GenericFutureListener<Future<Object>> closeOnTermination = f -> finishWithoutLoop();
    /** Loop thread: {@link #closeOnTermination} is armed, until the close completes. */
    private boolean awaitingTermination;
    private final LoopKind kind;
    /** Loop thread only: what close() lets go of, and waits for the loop to drop. */
    private final Set<NettyRegistration> registrations = new LinkedHashSet<>();
    private final CancelledWatches cancelledWatches = new CancelledWatches();

    private volatile ThreadEvents events;
    private volatile boolean released;

    /**
     * @param loop     the loop to serve: a NIO, epoll or io_uring loop of Netty 4.2
     * @param name     the thread's name in this backend's log lines
     * @param gate     how callbacks enter the host and how the host's leaving is heard; this thread's own
     * @throws IllegalArgumentException when no kind of watch serves the loop (a local loop, say); the
     *                                  message names the loop's I/O type and what to use instead
     */
    public NettyLoopThread(IoEventLoop loop, String name, HostGate gate) {
        this.kind = LoopKind.of(loop);
        this.loop = loop;
        this.gate = Objects.requireNonNull(gate, "gate");
        this.name = Objects.requireNonNull(name, "name");
        this.timer = new LoopTimer(loop, this::runTimer);
        this.wakeupEntry = gate.entry(unused -> events.onWakeup());
        this.timerEntry = gate.entry(unused -> events.onTimer());
        this.hostClosingEntry = gate.entry(unused -> events.onHostLoopClosing());
        this.wakeupTask = () -> enter(wakeupEntry);
    }

    /**
     * True when a service thread can be made on {@code loop}: a Netty 4.2 NIO, epoll or io_uring
     * loop. For backends that check a host's loops before making threads on them. Any thread.
     */
    public static boolean serves(io.netty.channel.EventLoop loop) {
        if (!(loop instanceof IoEventLoop)) {
            return false;
        }
        try {
            LoopKind.of((IoEventLoop) loop);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The Netty loop served. Any thread. */
    IoEventLoop loop() {
        return loop;
    }

    /** What differs on this kind of loop: the channels and how they are watched. Any thread. */
    LoopKind kind() {
        return kind;
    }

    /** The gate this thread's callbacks enter the host through. Any thread. */
    public HostGate gate() {
        return gate;
    }

    @Override
    public boolean inLoop() {
        // A terminated loop has no thread left: the guest's last cleanup runs where it heard of the end.
        return loop.inEventLoop() || loop.isTerminated();
    }

    @Override
    public void start(ThreadEvents threadEvents) {
        events = threadEvents;
        loop.terminationFuture().addListener(terminationListener);
        gate.watchHost(this);
    }

    @Override
    public Registration register(SelectableChannel channel, int interestOps, ReadyListener listener) throws IOException {
        NettyRegistration registration = new NettyRegistration(this, channel, listener);
        registration.attach(loop, interestOps);
        registrations.add(registration);
        return registration;
    }

    @Override
    public void armTimer(long deadlineNanos) {
        timer.arm(deadlineNanos);
    }

    @Override
    public void disarmTimer() {
        timer.disarm();
    }

    /** A task on the loop's queue: the core asks again only after the loop has polled. */
    @Override
    public void wakeup() {
        try {
            loop.execute(wakeupTask);
        } catch (RejectedExecutionException e) {
            // The host loop has shut down; the guest hears onHostLoopClosing, not this wake-up.
        }
    }

    /** Passes on to the gate, which hands it to the host's error reporting (if it has any). */
    @Override
    public void guestFailed(Throwable error) {
        gate.guestFailed(error);
    }

    /**
     * For the {@link HostGate}: the host is leaving. Tells the guest
     * {@link ThreadEvents#onHostLoopClosing()} on the loop thread, then runs {@code then} there, after
     * the guest's callback has returned. Any thread: on the loop thread it runs now, else it is
     * queued on the loop.
     *
     * @param then run on the loop thread afterwards; may be null
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
     * Releases everything the guest left on this loop, on the loop thread, and completes once the
     * loop has let go of every watch (a selector its keys, a ring its polls). Never shuts the loop down. Idempotent.
     */
    CompletionStage<Void> close() {
        if (!closeFuture.isDone() && !runOnLoop(() -> {
            release();
            completeWhenDeregistered();
        })) {
            // The loop no longer takes tasks: once it has terminated nothing of the guest is left on it.
            loop.terminationFuture().addListener(f -> finishWithoutLoop());
        }
        return closeFuture;
    }

    // ---- used by NettyRegistration and the gates ----

    void forget(NettyRegistration registration) {
        registrations.remove(registration);
    }

    /** Remembers a watch just cancelled until the loop has let go of it. */
    void cancelled(Watch watch) {
        cancelledWatches.add(watch);
    }

    /** Netty released a handle of ours; only a loop that is shutting down means the host is leaving. */
    void handleClosedByLoop() {
        if (loop.isShuttingDown()) {
            deliverHostClosing();
        }
    }

    // ---- internals ----

    private void runTimer() {
        enter(timerEntry);
    }

    /** On the loop thread while the host goes away (or, once the loop is gone, where that was seen). */
    private void deliverHostClosing() {
        if (!released && hostClosingDelivered.compareAndSet(false, true)) {
            LOG.log(Level.DEBUG, () -> gate.loopKind() + " " + name + " is going away under a live guest; telling the guest");
            enter(hostClosingEntry);
        }
    }

    private void enter(IntConsumer entry) {
        if (!released) {
            entry.accept(0);
        }
    }

    /** The loop terminated: the last chance to tell a guest that heard nothing on the loop thread. */
    private void handleHostTerminated() {
        if (!released && !hostClosingDelivered.get()) {
            LOG.log(Level.WARNING, gate.loopKind() + " " + name + " terminated before the guest could be told on it; "
                    + "telling the guest from " + Thread.currentThread().getName());
            deliverHostClosing();
        }
        finishWithoutLoop();
    }

    /** Loop thread: cancels every registration and the timer; nothing is delivered afterwards. */
    private void release() {
        if (released) {
            return;
        }
        released = true;
        timer.disarm();
        for (NettyRegistration registration : new ArrayList<>(registrations)) {
            registration.cancel();
        }
        gate.unwatchHost(this);
        // A long-lived host loop must not collect one listener per guest context it ever served.
        loop.terminationFuture().removeListener(terminationListener);
    }

    /**
     * Completes the close once the loop has dropped every watch the guest cancelled. A task
     * scheduled with no delay runs only after the loop's next I/O pass, which polls without
     * blocking because the task is due.
     */
    private void completeWhenDeregistered() {
        // A loop shutting down drops scheduled tasks and lets go of every handle as it ends: nothing to wait for.
        if (cancelledWatches.allLetGo() || loop.isShuttingDown()) {
            cancelledWatches.clear();
            if (awaitingTermination) {
                loop.terminationFuture().removeListener(closeOnTermination);
            }
            closeFuture.complete(null);
            return;
        }
        if (!awaitingTermination) {
            // The host may shut the loop down before the check below runs (Vert.x closes a context, then
            // its loops): the loop then drops the check, and its termination completes the close instead.
            awaitingTermination = true;
            loop.terminationFuture().addListener(closeOnTermination);
        }
        try {
            loop.schedule(this::completeWhenDeregistered, 0, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // rejected: the loop is shutting down, and the termination listener completes the close
        }
    }

    /**
     * The loop is gone: its IoHandler released every handle and its scheduler dropped every task, so
     * nothing of the guest is left on it.
     */
    private void finishWithoutLoop() {
        if (loop.isTerminated()) {
            released = true;
            closeFuture.complete(null);
        }
    }

    /** Runs {@code task} on the loop (now when already there); false when the loop rejects it. */
    private boolean runOnLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
            return true;
        }
        try {
            loop.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "NettyLoopThread[" + name + ", " + gate + "]";
    }
}
