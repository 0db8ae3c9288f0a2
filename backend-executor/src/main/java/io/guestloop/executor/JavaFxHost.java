package io.guestloop.executor;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The JavaFX application thread as a {@link SerialHost}, reached by reflection so that the backend
 * loads nothing of JavaFX unless {@link SerialHost#javaFx()} is called. JavaFX silently drops a
 * {@code Platform.runLater} once its toolkit has exited; to notice the exit at all, a daemon thread
 * waits for the application thread to end, then the host refuses work and its stop signal completes.
 *
 * <p><b>Threading:</b> {@link #host()} from any thread; one host per JVM, as there is one toolkit.
 */
final class JavaFxHost {

    private static SerialHost instance;

    private JavaFxHost() {
    }

    static synchronized SerialHost host() {
        if (instance == null) {
            instance = create();
        }
        return instance;
    }

    private static SerialHost create() {
        MethodHandle runLater;
        MethodHandle isFxThread;
        try {
            Class<?> platform = Class.forName("javafx.application.Platform");
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            runLater = lookup.findStatic(platform, "runLater", MethodType.methodType(void.class, Runnable.class));
            isFxThread = lookup.findStatic(platform, "isFxApplicationThread", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("SerialHost.javaFx() needs JavaFX (the javafx-graphics jar, module javafx.graphics)"
                    + " on the class path or in the module graph: " + e, e);
        }
        CompletableFuture<Void> exited = new CompletableFuture<>();
        Executor executor = task -> {
            if (exited.isDone()) {
                throw new RejectedExecutionException("the JavaFX toolkit has exited");
            }
            runLater(runLater, task);
        };
        CompletableFuture<Thread> fxThread = new CompletableFuture<>();
        try {
            executor.execute(() -> fxThread.complete(Thread.currentThread()));
        } catch (IllegalStateException e) {
            throw new IllegalStateException("SerialHost.javaFx() needs a running JavaFX toolkit: call it after"
                    + " Application.launch(...) has started, or after Platform.startup(...) (" + e.getMessage() + ")", e);
        }
        Thread exitWatch = new Thread(() -> {
            try {
                fxThread.join().join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            exited.complete(null);
        }, "guestloop-javafx-exit");
        exitWatch.setDaemon(true);
        exitWatch.start();
        return new SerialHost("javafx", executor, () -> isFxThread(isFxThread), exited);
    }

    /** {@code Platform.runLater(task)}; what JavaFX throws (its toolkit not started, say) comes out as it is. */
    private static void runLater(MethodHandle runLater, Runnable task) {
        try {
            runLater.invokeExact(task);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("Platform.runLater failed: " + t, t);
        }
    }

    /** {@code Platform.isFxApplicationThread()}. */
    private static boolean isFxThread(MethodHandle isFxThread) {
        try {
            return (boolean) isFxThread.invokeExact();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("Platform.isFxApplicationThread failed: " + t, t);
        }
    }
}
