package io.guestloop.vertx;

import io.guestloop.GuestContext;
import io.guestloop.spi.LoopOps;
import io.guestloop.spi.LoopOptions;
import io.guestloop.tck.BackendFixture;
import io.guestloop.tck.Timeouts;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The Vert.x backend for the conformance kit: a fresh Vert.x per fixture, its guest hosted either
 * on the {@code Vertx} instance itself or on the context of a verticle deployed in it.
 *
 * <p><b>Threading:</b> test thread only, as {@link BackendFixture} says.
 */
public final class VertxFixture implements BackendFixture {

    /** Event loops of the fixture's Vert.x: more than two, so that "every loop" is not "two". */
    static final int EVENT_LOOPS = 3;

    /** What the guest is given as its host loop. */
    public enum Host {
        /** The {@code Vertx} instance: one new event-loop context per service thread. */
        VERTX,
        /** The context of a deployed verticle, taken inside its {@code start()}. */
        VERTICLE_CONTEXT
    }

    /** The transport the fixture's Vert.x runs on. */
    public enum Transport {
        /** Vert.x's default. */
        NIO,
        /** {@code VertxOptions.setPreferNativeTransport(true)} with the epoll jar: epoll on Linux. */
        NATIVE_EPOLL,
        /** {@code Vertx.builder().withTransport(Transport.IO_URING)}. */
        IO_URING
    }

    private final Host host;
    private final Vertx vertx;
    private final List<EventLoop> loops = new ArrayList<>();
    private final Context verticleContext;

    /** A fixture on a new Vert.x with {@link #EVENT_LOOPS} event loops, on NIO. */
    public VertxFixture(Host host) {
        this(host, Transport.NIO);
    }

    /**
     * A fixture on a new Vert.x with {@link #EVENT_LOOPS} event loops on {@code transport}; a native
     * transport that cannot run here fails (CI) or skips the test, saying why.
     */
    public VertxFixture(Host host, Transport transport) {
        this.host = host;
        this.vertx = newVertx(transport, EVENT_LOOPS);
        for (EventExecutor e : ((VertxInternal) vertx).nettyEventLoopGroup()) {
            loops.add((EventLoop) e);
        }
        if (host == Host.VERTICLE_CONTEXT) {
            ContextCapture verticle = new ContextCapture();
            Timeouts.await(vertx.deployVerticle(verticle).toCompletionStage(), "the host verticle to deploy");
            this.verticleContext = verticle.started;
        } else {
            this.verticleContext = null;
        }
    }

    /** A Vert.x on {@code transport}; a native one that cannot run here fails (CI) or skips the caller. */
    static Vertx newVertx(Transport transport, int eventLoops) {
        VertxOptions options = new VertxOptions().setEventLoopPoolSize(eventLoops);
        Vertx made;
        switch (transport) {
            case NATIVE_EPOLL:
                made = Vertx.vertx(options.setPreferNativeTransport(true));
                break;
            case IO_URING:
                made = Vertx.builder().with(options).withTransport(io.vertx.core.transport.Transport.IO_URING).build();
                break;
            default:
                return Vertx.vertx(options);
        }
        if (!made.isNativeTransportEnabled()) {
            Throwable cause = made.unavailableNativeTransportCause();
            Timeouts.await(made.close().toCompletionStage(), "the Vert.x without its native transport to close");
            String message = "Vert.x's native transport (" + transport + ") is not available here (" + cause
                    + "); the tests on it cannot run";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message + ". CI must run them: install what the transport needs.", cause);
            }
            org.junit.jupiter.api.Assumptions.abort(message + " (skipped outside CI; with CI=true this fails)");
        }
        String runsOn = ((VertxInternal) made).transport().getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
        String wanted = transport == Transport.IO_URING ? "uring" : "epoll";
        if (!runsOn.contains(wanted)) {
            Timeouts.await(made.close().toCompletionStage(), "the Vert.x on the wrong transport to close");
            throw new AssertionError("asked Vert.x for " + transport + ", it runs on " + runsOn);
        }
        return made;
    }

    /** The Vert.x instance. */
    public Vertx vertx() {
        return vertx;
    }

    /** What the fixture passes as {@code hostLoop}. */
    public Object hostLoop() {
        return host == Host.VERTX ? vertx : verticleContext;
    }

    @Override
    public String backendName() {
        return VertxLoopOpsProvider.NAME;
    }

    @Override
    public int maxServiceThreads() {
        return host == Host.VERTX ? loops.size() : 1;
    }

    @Override
    public LoopOps createLoopOps(int serviceThreads) {
        return new VertxLoopOpsProvider().create(new LoopOptions(hostLoop(), serviceThreads, false));
    }

    @Override
    public GuestContext.Builder contextBuilder(int serviceThreads) {
        return GuestContext.builder().hostLoop(hostLoop()).serviceThreads(serviceThreads);
    }

    @Override
    public boolean borrowsHostLoop() {
        return true;
    }

    /** Runs on the verticle's context, or on a fresh context of the {@code index}-th event loop. */
    @Override
    public CompletionStage<Thread> runHostTask(int index) {
        Context context = host == Host.VERTX
                ? ((VertxInternal) vertx).contextBuilder().withEventLoop(loops.get(index)).build()
                : verticleContext;
        CompletableFuture<Thread> ran = new CompletableFuture<>();
        context.runOnContext(v -> ran.complete(Thread.currentThread()));
        return ran;
    }

    @Override
    public CompletionStage<Void> shutdownHost() {
        return vertx.close().toCompletionStage();
    }

    @Override
    public void close() {
        Timeouts.await(vertx.close().toCompletionStage(), "Vert.x to close");
    }

    @Override
    public String toString() {
        return "VertxFixture[" + host + ", " + loops.size() + " event loop(s)]";
    }

    /** A verticle that does nothing but remember the context it started on. */
    static final class ContextCapture extends VerticleBase {
        volatile Context started;

        @Override
        public Future<?> start() {
            started = context;
            return Future.succeededFuture();
        }
    }
}
