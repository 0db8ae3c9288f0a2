package io.guestloop.tck;

import io.guestloop.GuestContext;
import io.guestloop.Mailbox;
import io.guestloop.Protocol;
import io.guestloop.ServiceThread;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A running guest context for a test, with a way to run test code on any of its service threads.
 * The way in is the one the guest API allows: a {@link Mailbox} per thread, opened when the thread
 * starts, i.e. {@code cancelService()} underneath.
 *
 * <p><b>Threading:</b> created and driven from the test thread; the callables run on the loop.
 */
public final class GuestHarness implements AutoCloseable {

    private final GuestContext context;
    private final AtomicReferenceArray<Mailbox<Runnable>> mailboxes;
    private final CountDownLatch started;

    private GuestHarness(GuestContext.Builder builder, int threads) {
        this.mailboxes = new AtomicReferenceArray<>(threads);
        this.started = new CountDownLatch(threads);
        this.context = builder.protocol(new Protocol() {
            @Override
            public void onStart(ServiceThread thread) {
                mailboxes.set(thread.index(), Mailbox.open(thread, Runnable::run));
                started.countDown();
            }
        }).build();
    }

    /** Builds the context from {@code builder} and waits until each of its threads has started. */
    public static GuestHarness start(GuestContext.Builder builder, int threads) {
        GuestHarness h = new GuestHarness(builder, threads);
        Timeouts.await(h.started, "every service thread to start");
        if (h.context.serviceThreads().size() != threads) {
            throw new AssertionError("asked for " + threads + " service threads, got " + h.context.serviceThreads().size());
        }
        return h;
    }

    /** The context under test. */
    public GuestContext context() {
        return context;
    }

    /** Service thread {@code i}. */
    public ServiceThread thread(int i) {
        return context.serviceThreads().get(i);
    }

    /** Runs {@code action} on service thread {@code i}; the future completes with its result. */
    public <T> CompletableFuture<T> submit(int i, Callable<T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        boolean posted = mailboxes.get(i).post(() -> {
            try {
                result.complete(action.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        if (!posted) {
            result.completeExceptionally(new IllegalStateException("mailbox of thread " + i + " is closed"));
        }
        return result;
    }

    /** Runs {@code action} on service thread {@code i} and waits for its result. */
    public <T> T call(int i, Callable<T> action) {
        return Timeouts.await(submit(i, action), "a task on service thread " + i);
    }

    /** Runs {@code action} on service thread {@code i} and waits for it. */
    public void run(int i, ThrowingRunnable action) {
        call(i, () -> {
            action.run();
            return null;
        });
    }

    /** The loop {@link Thread} of service thread {@code i}. */
    public Thread loopThread(int i) {
        return call(i, Thread::currentThread);
    }

    /** All service threads. */
    public List<ServiceThread> threads() {
        return context.serviceThreads();
    }

    /** Closes the context and waits until it has released everything. */
    @Override
    public void close() {
        Timeouts.await(context.close(), "the guest context to close");
    }

    /** A runnable that may throw, for test actions. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        /** Runs the action. */
        void run() throws Exception;
    }
}
