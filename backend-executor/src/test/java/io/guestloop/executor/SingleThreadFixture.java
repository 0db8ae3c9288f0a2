package io.guestloop.executor;

import io.guestloop.tck.Timeouts;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A plain single-thread executor as the host, the way an application owns one; it stops by being
 * shut down, after which it refuses work.
 *
 * <p><b>Threading:</b> test thread only; the host runs its tasks on its one worker thread.
 */
final class SingleThreadFixture extends SerialHostFixture {

    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile Thread worker;
    private final ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
            task -> {
                Thread t = new Thread(task, "single-thread-host");
                t.setDaemon(true);
                worker = t;
                return t;
            }) {
        @Override
        protected void terminated() {
            SingleThreadFixture.this.terminated.complete(null);
        }
    };
    private final SerialHost host = SerialHost.of(executor, () -> Thread.currentThread() == worker)
            .withName("single-thread").stoppedWhen(stopSignal);

    @Override
    SerialHost host() {
        return host;
    }

    @Override
    Executor ownWork() {
        return executor;
    }

    @Override
    void stopOnHostThread() {
        executor.shutdown();
    }

    @Override
    CompletionStage<Void> stopped() {
        return terminated;
    }

    @Override
    public void close() {
        executor.shutdown();
        Timeouts.await(terminated, "the single-thread host to terminate");
    }
}
