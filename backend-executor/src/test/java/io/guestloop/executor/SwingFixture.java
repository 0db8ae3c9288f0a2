package io.guestloop.executor;

import java.awt.EventQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The Swing event dispatch thread as the host ({@link SerialHost#swing()}), headless. The dispatch
 * thread is the JVM's and outlives every test, so "the host stops" is what an application does when
 * it shuts its part down: after the stop signal it refuses to take work for the guest.
 *
 * <p><b>Threading:</b> test thread only; the host runs its tasks on the event dispatch thread.
 */
final class SwingFixture extends SerialHostFixture {

    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile boolean stopped;
    private final SerialHost host;

    static {
        keepDispatchThread();
    }

    /**
     * A Swing application shows a window, and AWT keeps its dispatch thread while one is up; a
     * headless test shows none, and AWT would end an idle dispatch thread after a second and start
     * another for the next task. The kit checks that every callback runs on one thread, so the
     * fixture tells AWT what a window's peer would: the toolkit is busy, for the rest of this JVM.
     */
    private static void keepDispatchThread() {
        try {
            Class.forName("sun.awt.AWTAutoShutdown").getMethod("notifyToolkitThreadBusy").invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot keep AWT's event dispatch thread (the surefire argLine of this module"
                    + " exports java.desktop/sun.awt to the tests): " + e, e);
        }
    }

    SwingFixture() {
        SerialHost swing = SerialHost.swing();
        Executor edt = swing.executor();
        Executor gate = task -> {
            if (stopped) {
                throw new RejectedExecutionException("this test's Swing host has stopped");
            }
            edt.execute(task);
        };
        host = new SerialHost(swing.name(), gate, swing.onHostThread(), stopSignal);
    }

    @Override
    SerialHost host() {
        return host;
    }

    @Override
    Executor ownWork() {
        return EventQueue::invokeLater;
    }

    @Override
    void stopOnHostThread() {
        stopped = true;
        done.complete(null);
    }

    @Override
    CompletionStage<Void> stopped() {
        return done;
    }

    @Override
    public void close() {
        stopped = true;
    }
}
