package io.guestloop.executor;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The JavaFX application thread as the host ({@link SerialHost#javaFx()}), on an Xvfb display; the
 * test's part of it stops as {@link SerialHostFixture#ownPartOf} says, the toolkit goes on (its own
 * exit is {@link JavaFxExitTest}'s).
 *
 * <p><b>Threading:</b> test thread only; the host runs its tasks on the JavaFX application thread.
 */
final class JavaFxFixture extends SerialHostFixture {

    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final SerialHost javaFx;
    private final SerialHost host;

    /** Only once {@link JavaFxToolkit#require} has started the toolkit. */
    JavaFxFixture() {
        javaFx = SerialHost.javaFx();
        host = ownPartOf(javaFx);
    }

    @Override
    SerialHost host() {
        return host;
    }

    @Override
    Executor ownWork() {
        return javaFx.executor();
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
