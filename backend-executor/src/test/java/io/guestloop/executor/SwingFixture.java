package io.guestloop.executor;

import java.awt.EventQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The Swing event dispatch thread as the host ({@link SerialHost#swing()}), headless; the test's
 * part of it stops as {@link SerialHostFixture#ownPartOf} says, the dispatch thread goes on.
 *
 * <p><b>Threading:</b> test thread only; the host runs its tasks on the event dispatch thread.
 */
final class SwingFixture extends SerialHostFixture {

    static {
        keepDispatchThread();
    }

    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final SerialHost host = ownPartOf(SerialHost.swing());

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
        refuseWork();
        done.complete(null);
    }

    @Override
    CompletionStage<Void> stopped() {
        return done;
    }

    @Override
    public void close() {
        refuseWork();
    }
}
