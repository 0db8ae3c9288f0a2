package io.guestloop.demo;

import io.guestloop.GuestContext;

import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * No host application at all: the guest runs on guestloop's own {@code java.nio} Selector threads,
 * which the context owns and stops when it closes. There is no native endpoint to show.
 *
 * <p><b>Threading:</b> see {@link DemoHost}.
 */
final class NioHost implements DemoHost {

    private final int threads;

    NioHost(int threads) {
        this.threads = threads;
    }

    @Override
    public String backend() {
        return "nio";
    }

    @Override
    public OptionalInt startNative(String bindHost, int port) {
        return OptionalInt.empty();
    }

    @Override
    public GuestContext buildGuest(GuestContext.Builder guest) {
        return guest.backend("nio").serviceThreads(threads).build();
    }

    @Override
    public CompletionStage<Void> stop() {
        return CompletableFuture.completedFuture(null);
    }
}
