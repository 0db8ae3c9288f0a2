package io.guestloop.vertx;

import io.guestloop.spi.LoopThread;
import io.guestloop.spi.ReadyListener;
import io.guestloop.spi.Registration;
import io.guestloop.spi.ThreadEvents;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import io.vertx.core.Closeable;
import io.vertx.core.Completable;
import io.vertx.core.Handler;
import io.vertx.core.internal.ContextInternal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.SelectableChannel;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One Vert.x event-loop context as a guest service thread. I/O readiness comes from the context's
 * Netty event loop (the guest's channels sit in that loop's own selector, {@link VertxRegistration});
 * the timer is a task on the loop's scheduler ({@link LoopTimer}) and a wake-up a task on its queue.
 * Every callback into the guest is then run through {@link ContextInternal#dispatch}, the way Vert.x
 * runs verticle handlers: {@code Vertx.currentContext()} is this context, the thread's context class
 * loader is the context's, the blocked-thread checker times the callback, and whatever escapes it
 * goes to {@link ContextInternal#reportException} (the context's exception handler, else Vert.x's,
 * else Vert.x's log).
 *
 * <p><b>Vert.x closing.</b> A close hook on the context's close future (Vert.x's own for a context
 * this backend made, the deployment's for a verticle's context) runs when Vert.x closes or the
 * verticle is undeployed, before any event loop stops. It delivers
 * {@link ThreadEvents#onHostLoopClosing()} once, on the loop inside the context, and lets Vert.x go
 * on only when that callback has returned: the guest core releases the thread's sockets in it. The
 * hook is removed when the guest closes first, so a long-lived Vert.x does not collect hooks. Should
 * the Netty loop stop without the hook (nothing in Vert.x does that), the loop releasing the guest's
 * channels or its termination still tells the guest, as in the netty backend.
 *
 * <p>Internal API used: {@link ContextInternal#dispatch} (the only way to run code "on" a context
 * from a Netty callback so that Vert.x sees it as the context's code), {@link ContextInternal#nettyEventLoop()}
 * (the loop whose selector watches the guest's channels), {@code ContextInternal.closeFuture()} (the
 * only notice of Vert.x closing that comes before its loops stop).
 *
 * <p><b>Threading:</b> {@link #wakeup()}, {@link #inLoop()}, {@link #threadName()}, {@link #start}
 * and {@link #close()} may be called from any thread; every other method only on the loop thread.
 */
final class VertxLoopThread implements LoopThread {

    private static final System.Logger LOG = System.getLogger(VertxLoopThread.class.getName());

    private final ContextInternal context;
    private final IoEventLoop loop;
    private final LoopTimer timer;
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final AtomicBoolean hostClosingDelivered = new AtomicBoolean();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private final Runnable wakeupTask = this::runWakeup;
    private final Runnable deferWakeup = this::deferWakeup;
    private final Handler<Void> onWakeup = v -> deliverWakeup();
    private final Handler<Void> onTimer = v -> deliverTimer();
    private final Closeable hostCloseHook = this::hostClosing;
    private final GenericFutureListener<Future<Object>> terminationListener = f -> loopTerminated();
    /** Loop thread only. */
    private final Map<SelectableChannel, VertxRegistration> registrations = new IdentityHashMap<>();

    private volatile ThreadEvents events;
    private volatile String threadName;
    /** Set by {@link #close()}: from then on wake-ups are not even queued. */
    private volatile boolean closeRequested;
    /** Set on the loop once everything is released: from then on no callback is delivered. */
    private volatile boolean closed;

    /**
     * @param context an event-loop context whose Netty loop is an {@link IoEventLoop} taking
     *                {@code NioIoHandle}s (checked by {@link HostContexts})
     * @param index   the service thread's index, for names until the loop thread is known
     */
    VertxLoopThread(ContextInternal context, int index) {
        this.context = context;
        this.loop = (IoEventLoop) context.nettyEventLoop();
        this.timer = new LoopTimer(loop, () -> dispatch(null, onTimer));
        this.threadName = "vert.x context " + index + " (not started)";
    }

    /** The Vert.x context every guest callback of this thread runs on. */
    ContextInternal context() {
        return context;
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
        boolean hooked = context.closeFuture().add(hostCloseHook);
        runOnLoop(() -> threadName = Thread.currentThread().getName());
        if (!hooked) {
            // Vert.x (or the verticle) began closing between build() and now: tell the guest at once.
            runOnLoop(this::hostClosingOnLoop);
        }
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
        VertxRegistration registration = new VertxRegistration(this, channel, listener);
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
            // The loop has stopped; the guest hears onHostLoopClosing, not this wake-up.
            wakeupPending.set(false);
        }
    }

    /**
     * Puts the wake-up on the loop's scheduled-task queue: a Netty loop runs tasks queued during its
     * task batch in that same batch, but takes scheduled tasks only when a batch starts, after its
     * I/O pass, so wake-ups cannot starve the loop's sockets and timers (see the netty backend).
     */
    private void deferWakeup() {
        loop.schedule(wakeupTask, 0, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /**
     * Hands an exception thrown by guest code to the context, as Vert.x does for verticle code: the
     * context's {@code exceptionHandler}, else the {@code Vertx} instance's, else Vert.x's log.
     */
    @Override
    public void guestFailed(Throwable error) {
        context.reportException(error);
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
     * Never closes the context or Vert.x. Idempotent.
     */
    CompletionStage<Void> close() {
        closeRequested = true;
        if (!closeFuture.isDone() && !runOnLoop(this::closeOnLoop)) {
            loop.terminationFuture().addListener(f -> finishWithoutLoop());
        }
        return closeFuture;
    }

    // ---- used by VertxRegistration ----

    /** True while callbacks may reach the guest. */
    boolean delivering() {
        return !closed;
    }

    /** Runs a guest callback as code of the context (see the class comment). Loop thread. */
    <E> void dispatch(E event, Handler<E> handler) {
        context.dispatch(event, handler);
    }

    void forget(VertxRegistration registration) {
        registrations.remove(registration.channel(), registration);
    }

    /** Netty released a handle of ours; only a loop that is shutting down means the host is leaving. */
    void handleClosedByLoop() {
        if (loop.isShuttingDown()) {
            hostClosingOnLoop();
        }
    }

    static void checkOps(SelectableChannel channel, int ops) {
        if ((ops & ~channel.validOps()) != 0) {
            throw new IllegalArgumentException("interest ops " + ops + " are not a subset of the valid ops "
                    + channel.validOps() + " of " + channel);
        }
    }

    // ---- internals ----

    private void runWakeup() {
        // Cleared before the callback so that a wakeup() made during onWakeup queues another one.
        wakeupPending.set(false);
        if (!closed) {
            dispatch(null, onWakeup);
        }
    }

    private void deliverWakeup() {
        if (!closed) {
            events.onWakeup();
        }
    }

    private void deliverTimer() {
        if (!closed) {
            events.onTimer();
        }
    }

    /** The close hook: called by Vert.x on whichever thread closes it. */
    private void hostClosing(Completable<Void> completion) {
        boolean queued = runOnLoop(() -> {
            try {
                hostClosingOnLoop();
            } finally {
                completion.succeed();
            }
        });
        if (!queued) {
            completion.succeed();
        }
    }

    /** On the loop thread (or, once the loop is gone, on the thread that saw it end). */
    private void hostClosingOnLoop() {
        if (closed || closeRequested || !hostClosingDelivered.compareAndSet(false, true)) {
            return;
        }
        LOG.log(Level.DEBUG, () -> "Vert.x is closing under the live guest on " + threadName + "; telling the guest");
        dispatch(null, v -> events.onHostLoopClosing());
    }

    /** The loop terminated: the last chance to tell a guest that heard nothing on the loop thread. */
    private void loopTerminated() {
        if (!closed && !closeRequested && !hostClosingDelivered.get()) {
            LOG.log(Level.WARNING, "the Netty loop under Vert.x context " + threadName + " terminated before the guest "
                    + "was told on it; telling the guest from " + Thread.currentThread().getName());
            hostClosingOnLoop();
        }
        finishWithoutLoop();
    }

    private void closeOnLoop() {
        if (closed) {
            return;
        }
        closed = true;
        timer.disarm();
        for (VertxRegistration registration : new ArrayList<>(registrations.values())) {
            registration.release();
        }
        registrations.clear();
        // A long-lived Vert.x must not collect one hook per guest context it ever served.
        context.closeFuture().remove(hostCloseHook);
        // The JDK closes a channel that is still registered with a selector only when a select
        // deregisters its cancelled key; until then a listening socket the guest closed still
        // accepts. A task scheduled now runs after the loop's next select (Netty moves scheduled
        // tasks to its queue once per turn, before running them), so completing there means the
        // guest's channels are really closed. If the loop stops first, its termination completes.
        try {
            loop.schedule(this::finishClose, 0, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            finishClose();
        }
    }

    private void finishClose() {
        loop.terminationFuture().removeListener(terminationListener);
        closeFuture.complete(null);
    }

    /** The loop is gone, and with it every handle and scheduled task of the guest. */
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
            throw new IllegalStateException(method + " must be called on the Vert.x event-loop thread " + threadName
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
        return new IOException("the Vert.x event loop could not watch " + channel + ": " + cause, cause);
    }

    @Override
    public String toString() {
        return "VertxLoopThread[" + threadName + ", " + context + "]";
    }
}
