package io.guestloop.demo;

import io.guestloop.GuestContext;
import io.guestloop.example.legacy.loop.LegacyLoop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A legacy application: a {@link LegacyLoop} (a loop written without guestloop in mind) run on a
 * thread of its own, lent to the guest through the {@code legacy} shim. One loop is one thread, so
 * this host serves exactly one service thread; it has no native endpoint to show.
 *
 * <p><b>Threading:</b> see {@link DemoHost}.
 */
final class LegacyHost implements DemoHost {

    private final LegacyLoop loop;
    private final Thread thread;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    LegacyHost() {
        try {
            this.loop = new LegacyLoop();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the legacy loop's selector", e);
        }
        this.thread = new Thread(this::run, "demo-legacy-loop");
    }

    @Override
    public String backend() {
        return "legacy";
    }

    @Override
    public OptionalInt startNative(String bindHost, int port) {
        return OptionalInt.empty();
    }

    @Override
    public GuestContext buildGuest(GuestContext.Builder guest) {
        // Built before the loop runs, as the legacy application does: the shim queues its
        // start-up work on the loop, which picks it up on its first turn.
        GuestContext context = guest.backend("legacy").hostLoop(loop).build();
        thread.start();
        return context;
    }

    @Override
    public CompletionStage<Void> stop() {
        loop.stop();
        if (thread.getState() == Thread.State.NEW) {
            thread.start();   // a loop that never ran still owns a selector: run() sees the stop and closes it
        }
        return ended;
    }

    private void run() {
        try {
            loop.run();
        } finally {
            ended.complete(null);
        }
    }
}
