package io.guestloop.nio;

import io.guestloop.spi.LoopOps;
import io.guestloop.spi.LoopOptions;
import io.guestloop.spi.LoopThread;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code nio} backend for one guest context: {@link java.nio.channels.Selector} loops that
 * guestloop owns. Either N daemon threads named {@code <threadName>-nio-<i>}, started by
 * {@link LoopThread#start}, or (with {@link LoopOptions#runOnCaller()}) one loop that runs on the
 * thread calling {@link #run()}.
 *
 * <p>nio owns its loops, so it never calls {@link io.guestloop.spi.ThreadEvents#onHostLoopClosing()}:
 * nothing can shut them down underneath the guest but {@link #close()}.
 *
 * <p><b>Threading:</b> {@link #threads()} and {@link #close()} from any thread, never blocking,
 * including from a loop thread itself; {@link #run()} blocks its caller until closed.
 */
public final class NioLoopOps implements LoopOps {

    private final List<SelectorLoop> loops;
    private final boolean runOnCaller;
    private final String threadName;
    private final AtomicInteger running;
    private final AtomicBoolean closeStarted = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final CompletionStage<Void> closeStage = closed.minimalCompletionStage();

    /**
     * Opens the selectors (threads start with {@link LoopThread#start}).
     *
     * @throws IllegalArgumentException     when {@code options} names a host loop: nio only owns loops
     * @throws java.io.UncheckedIOException when a selector cannot be opened; nothing is left open
     */
    public NioLoopOps(LoopOptions options) {
        if (options.hostLoop() != null) {
            throw new IllegalArgumentException("the nio backend runs loops of its own and cannot borrow a host loop, got "
                    + options.hostLoop().getClass().getName() + "; add the backend jar for that loop, or pass no host loop");
        }
        this.runOnCaller = options.runOnCaller();
        this.threadName = "guestloop";
        int count = options.ownedThreadCount();
        this.running = new AtomicInteger(count);
        List<SelectorLoop> made = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                made.add(new SelectorLoop(threadName + "-nio-" + i, !runOnCaller, this::loopStopped));
            }
        } catch (RuntimeException e) {
            made.forEach(SelectorLoop::requestClose);
            throw e;
        }
        this.loops = List.copyOf(made);
    }

    @Override
    public List<? extends LoopThread> threads() {
        return loops;
    }

    /**
     * Stops every loop. A loop that is running finishes the callback it is in and delivers nothing
     * more; its remaining keys are cancelled and its selector closed. The stage completes when every
     * loop has done so and every owned thread has terminated (on a thread of the backend's: never
     * wait for it inside a callback).
     */
    @Override
    public CompletionStage<Void> close() {
        if (closeStarted.compareAndSet(false, true)) {
            for (SelectorLoop loop : loops) {
                loop.requestClose();
            }
        }
        return closeStage;
    }

    /**
     * Runs the single loop on the calling thread until {@link #close()} completes; returns at once
     * when already closed.
     *
     * @throws IllegalStateException when this backend was not created with
     *                               {@link LoopOptions#runOnCaller()}, when
     *                               {@link LoopThread#start} was not called yet, or when the loop is
     *                               already running on another thread
     */
    @Override
    public void run() {
        if (!runOnCaller) {
            throw new IllegalStateException("this nio backend runs on " + loops.size() + " thread(s) of its own; run() is"
                    + " only for a backend created with LoopOptions.runOnCaller() (GuestContext.Builder.runOnCallingThread())");
        }
        loops.get(0).runLoop();
        // Closed before run() or by another thread: returns only once the release is done.
        closed.join();
    }

    private void loopStopped() {
        if (running.decrementAndGet() != 0) {
            return;
        }
        List<Thread> alive = new ArrayList<>();
        for (SelectorLoop loop : loops) {
            Thread t = loop.ownThread();
            if (t != null && t.isAlive()) {
                alive.add(t);
            }
        }
        if (alive.isEmpty()) {
            closed.complete(null);
            return;
        }
        // The last loop thread gets here while still alive. Completing from a short-lived thread that
        // joins the loop threads keeps the promise that they are gone, without a loop joining itself.
        Thread closer = new Thread(() -> {
            for (Thread t : alive) {
                joinUninterruptibly(t);
            }
            closed.complete(null);
        }, threadName + "-close");
        closer.setDaemon(true);
        closer.start();
    }

    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "NioLoopOps[" + threadName + ", " + loops.size() + (runOnCaller ? " loop on the caller" : " thread(s)")
                + (closed.isDone() ? ", closed" : closeStarted.get() ? ", closing" : "") + "]";
    }
}
