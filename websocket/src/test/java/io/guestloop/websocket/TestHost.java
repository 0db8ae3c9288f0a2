package io.guestloop.websocket;

import io.guestloop.GuestContext;
import io.guestloop.example.legacy.loop.LegacyLoop;
import io.guestloop.tck.Timeouts;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import org.junit.jupiter.api.Assumptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The host loop the stack's integration tests run on, chosen by the system property
 * {@code guestloop.test.backend} ({@code nio}, the default, {@code netty} on a NIO loop,
 * {@code netty-epoll}, {@code netty-io_uring}, {@code vertx} or {@code legacy}). A native loop that
 * cannot run here fails the test with its cause when {@code CI=true}, and skips it otherwise. The build runs those tests once per backend; the stack's code never knows which.
 *
 * <p><b>Threading:</b> test thread only.
 */
final class TestHost implements AutoCloseable {

    /** The backend of this test run. */
    static final String BACKEND = System.getProperty("guestloop.test.backend", "nio");

    private final GuestContext.Builder builder;
    private final Runnable stop;
    private final CompletionStage<?> stopped;

    private TestHost(GuestContext.Builder builder, Runnable stop, CompletionStage<?> stopped) {
        this.builder = builder;
        this.stop = stop;
        this.stopped = stopped;
    }

    /** A fresh host loop of {@link #BACKEND} with one loop thread. */
    static TestHost start() {
        switch (BACKEND) {
            case "nio":
                return new TestHost(GuestContext.builder().serviceThreads(1), () -> { }, CompletableFuture.completedFuture(null));
            case "netty":
                return onNetty(NioIoHandler.newFactory());
            case "netty-epoll":
                requireNative("epoll", Epoll.isAvailable(), Epoll.unavailabilityCause());
                return onNetty(EpollIoHandler.newFactory());
            case "netty-io_uring":
                requireNative("io_uring", IoUring.isAvailable(), IoUring.unavailabilityCause());
                return onNetty(IoUringIoHandler.newFactory());
            case "vertx": {
                Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
                CompletableFuture<Void> done = new CompletableFuture<>();
                return new TestHost(GuestContext.builder().hostLoop(vertx).serviceThreads(1),
                        () -> vertx.close().onComplete(ar -> done.complete(null)), done);
            }
            case "legacy": {
                LegacyLoop loop;
                try {
                    loop = new LegacyLoop();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                CompletableFuture<Void> done = new CompletableFuture<>();
                Thread thread = new Thread(() -> {
                    try {
                        loop.run();
                    } finally {
                        done.complete(null);
                    }
                }, "test-legacy-loop");
                thread.start();
                return new TestHost(GuestContext.builder().hostLoop(loop), loop::stop, done);
            }
            default:
                throw new IllegalArgumentException("guestloop.test.backend must be nio, netty, netty-epoll, netty-io_uring, "
                        + "vertx or legacy, was '" + BACKEND + "'");
        }
    }

    private static TestHost onNetty(IoHandlerFactory handlers) {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, handlers);
        CompletableFuture<Void> done = new CompletableFuture<>();
        return new TestHost(GuestContext.builder().hostLoop(group),
                () -> group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS)
                        .addListener(f -> done.complete(null)), done);
    }

    private static void requireNative(String transport, boolean available, Throwable cause) {
        if (available) {
            return;
        }
        String message = "Netty's native " + transport + " transport is not available here (" + cause + ")";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(message + "; CI must run the tests on it", cause);
        }
        Assumptions.abort(message + "; skipped outside CI (with CI=true this fails)");
    }

    /** A builder preset for this host, found through ServiceLoader as an application would. */
    GuestContext.Builder builder() {
        return builder;
    }

    /** Stops the host loop (after the guest context on it was closed) and waits for it. */
    @Override
    public void close() {
        stop.run();
        Timeouts.await(stopped, "the " + BACKEND + " host loop to stop");
    }
}
