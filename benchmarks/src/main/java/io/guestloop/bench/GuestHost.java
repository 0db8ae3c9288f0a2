package io.guestloop.bench;

import io.guestloop.GuestContext;
import io.guestloop.example.legacy.loop.LegacyLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A guest context with exactly one service thread on one backend ({@code nio}, {@code netty} on a
 * NIO loop, {@code netty-epoll}, {@code netty-io_uring}, {@code vertx} or {@code legacy}), started the way an application of that host would start it
 * (see websocket-demo's hosts), and stopped with the host loop it created.
 *
 * <p><b>Threading:</b> {@link #start} and {@link #close} are called from a thread that is not the
 * loop (a main thread or a JMH setup thread); they wait for the loop.
 */
public final class GuestHost implements AutoCloseable {

    /** The guest backends the JMH tables list ({@link #start} also takes netty-epoll and netty-io_uring). */
    public static final String[] BACKENDS = {"nio", "netty", "vertx", "legacy"};

    private static final long START_SECONDS = 30;

    private final GuestContext context;
    private final Runnable stopHost;

    private GuestHost(GuestContext context, Runnable stopHost) {
        this.context = context;
        this.stopHost = stopHost;
    }

    /**
     * Builds {@code builder} on a new one-thread host loop of {@code backend}.
     *
     * @throws IllegalArgumentException for a backend name not in {@link #BACKENDS}, netty-epoll or netty-io_uring
     */
    public static GuestHost start(String backend, GuestContext.Builder builder) {
        switch (backend) {
            case "nio" -> {
                return new GuestHost(builder.backend("nio").serviceThreads(1).build(), () -> { });
            }
            case "netty", "netty-epoll", "netty-io_uring" -> {
                String transport = backend.equals("netty") ? "nio" : backend.substring("netty-".length());
                EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("bench-netty-" + transport),
                        NettyTransports.ioHandlers(transport));
                GuestContext ctx = builder.backend("netty").hostLoop(group).build();
                return new GuestHost(ctx, () -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly());
            }
            case "vertx" -> {
                Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
                Context context = vertx.getOrCreateContext();
                CompletableFuture<GuestContext> built = new CompletableFuture<>();
                context.runOnContext(ignored -> {
                    try {
                        built.complete(builder.backend("vertx").hostLoop(context).build());
                    } catch (RuntimeException e) {
                        built.completeExceptionally(e);
                    }
                });
                GuestContext ctx = built.orTimeout(START_SECONDS, TimeUnit.SECONDS).join();
                return new GuestHost(ctx, () -> vertx.close().toCompletionStage().toCompletableFuture()
                        .orTimeout(START_SECONDS, TimeUnit.SECONDS).join());
            }
            case "legacy" -> {
                LegacyLoop loop;
                try {
                    loop = new LegacyLoop();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot open the legacy loop's selector", e);
                }
                GuestContext ctx = builder.backend("legacy").hostLoop(loop).build();
                Thread thread = new Thread(loop::run, "bench-legacy-loop");
                thread.start();
                return new GuestHost(ctx, () -> {
                    loop.stop();
                    try {
                        thread.join(TimeUnit.SECONDS.toMillis(START_SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            default -> throw new IllegalArgumentException("unknown guest backend " + backend
                    + "; expected one of nio, netty, netty-epoll, netty-io_uring, vertx, legacy");
        }
    }

    /** The guest context. */
    public GuestContext context() {
        return context;
    }

    /** Closes the guest context, then the host loop this object created. */
    @Override
    public void close() {
        context.close().toCompletableFuture().orTimeout(START_SECONDS, TimeUnit.SECONDS).join();
        stopHost.run();
    }
}
