package io.guestloop.demo;

import io.guestloop.GuestContext;

import java.io.IOException;
import java.util.OptionalInt;
import java.util.concurrent.CompletionStage;

/**
 * The application that hosts the guest: it owns the event loop (a Netty group, a Vert.x instance,
 * a legacy loop, or none for nio), may serve an endpoint of its own on that loop, and lends the
 * loop to the guest. One small class per backend, so that {@code --backend} picks a class and the
 * rest of the demo never knows which.
 *
 * <p>Order of calls: {@link #startNative}, then {@link #buildGuest} once, then {@link #stop} after
 * the guest context has closed (also after a failed start).
 *
 * <p><b>Threading:</b> called from the thread that starts or stops the demo, one call at a time.
 */
interface DemoHost {

    /** The backend name, as given to {@code --backend}. */
    String backend();

    /**
     * Starts the host's own {@code GET /native} endpoint on its loop, with
     * {@code Access-Control-Allow-Origin: *} so that the demo page may fetch it.
     *
     * @param port 0 lets the OS pick
     * @return the bound port, or empty when this host has no native endpoint
     * @throws IOException when the port cannot be bound
     */
    OptionalInt startNative(String bindHost, int port) throws IOException;

    /** Points {@code guest} at this host's loop and builds the context there. */
    GuestContext buildGuest(GuestContext.Builder guest);

    /** Releases the host loop and the native endpoint; completes when they are gone. Idempotent. */
    CompletionStage<Void> stop();

    /**
     * The host for {@code backend}, with {@code threads} loop threads for the guest (vertx and
     * legacy always have one: {@link DemoOptions#parse} refuses more), on {@code transport} (netty
     * and vertx: {@code nio}, {@code epoll} or {@code io_uring}).
     *
     * @throws IllegalArgumentException for a backend the demo does not know, or a native transport
     *                                  that cannot run here
     */
    static DemoHost forName(String backend, int threads, String transport) {
        return switch (backend) {
            case "nio" -> new NioHost(threads);
            case "netty" -> new NettyHost(threads, transport);
            case "vertx" -> new VertxHost(transport);
            case "legacy" -> new LegacyHost();
            default -> throw new IllegalArgumentException("unknown backend '" + backend + "'; expected one of "
                    + String.join(", ", DemoOptions.BACKENDS));
        };
    }
}
