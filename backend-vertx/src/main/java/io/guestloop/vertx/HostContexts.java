package io.guestloop.vertx;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.guestloop.netty.NettyLoopThread;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Context;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the object an application passed as its host loop into the Vert.x event-loop contexts a
 * guest runs on, or explains why it cannot.
 *
 * <ul>
 *   <li>A {@link Vertx}: one new event-loop context per service thread, service thread {@code i} on
 *       the {@code i}-th loop of Vert.x's event-loop group (wrapping around when more threads are
 *       asked than the group has loops, as Vert.x itself does for verticle instances).</li>
 *   <li>A {@link Context}: that context, as the single service thread.</li>
 * </ul>
 *
 * <p>Only event-loop contexts are served, on the NIO transport or a native one the netty backend
 * serves (epoll, io_uring: {@code VertxOptions.setPreferNativeTransport(true)} with Netty's native
 * jars): a worker or virtual-thread context has no loop thread of its own for the guest's one-thread
 * rule, and a kqueue loop is not served by the netty backend yet. Both are refused here, at
 * {@code build()}.
 *
 * <p>Uses {@link VertxInternal#contextBuilder()} and {@link VertxInternal#nettyEventLoopGroup()}
 * (internal API, exported by vertx-core): the public API has no way to make a context on a chosen
 * event loop, and without one the guest's threads could not be spread deterministically.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
final class HostContexts {

    private static final String WHAT_TO_USE = "Create the Vertx instance the guest shares on the NIO transport "
            + "(the default) or on the native epoll or io_uring transport (VertxOptions.setPreferNativeTransport(true) "
            + "with netty-transport-native-epoll on the class path), or build the guest context without hostLoop(...) "
            + "to run it on guestloop's own nio threads.";

    private HostContexts() {
    }

    /**
     * The contexts to serve, service thread {@code i} at index {@code i}.
     *
     * @param hostLoop       a {@link Vertx} or a {@link Context}
     * @param serviceThreads 0 for the default (every event loop of a Vertx, the one context), else how many
     * @throws IllegalArgumentException when the object is neither, when Vert.x is closed, when the
     *                                  context is not an event-loop context, when the transport is
     *                                  neither NIO, epoll nor io_uring, or when a context is asked for more than one thread
     */
    static List<ContextInternal> resolve(Object hostLoop, int serviceThreads) {
        if (hostLoop instanceof Context) {
            return List.of(fromContext((Context) hostLoop, serviceThreads));
        }
        if (hostLoop instanceof Vertx) {
            return fromVertx((Vertx) hostLoop, serviceThreads);
        }
        throw new IllegalArgumentException("The vertx backend needs a Vert.x Vertx or Context as host loop, found "
                + (hostLoop == null ? "none" : "an object of type " + hostLoop.getClass().getName())
                + ". Pass the application's Vertx (or the verticle's context()) to GuestContext.Builder.hostLoop(...).");
    }

    private static ContextInternal fromContext(Context context, int serviceThreads) {
        if (!(context instanceof ContextInternal)) {
            throw new IllegalArgumentException("The vertx backend serves contexts made by Vert.x 5, found a "
                    + context.getClass().getName() + " that does not implement io.vertx.core.internal.ContextInternal.");
        }
        if (serviceThreads > 1) {
            throw new IllegalArgumentException("The guest asked for " + serviceThreads + " service threads, but a Vert.x "
                    + "Context is one thread. Ask for 1 (or 0), or pass the Vertx instance as host loop to get one "
                    + "event-loop context per service thread.");
        }
        ContextInternal ctx = (ContextInternal) context;
        checkOpen(ctx.owner());
        if (ctx.closeFuture().isClosed()) {
            throw new IllegalArgumentException("The Vert.x context " + ctx + " is closed (its verticle was undeployed); "
                    + "a guest can only run on a live context.");
        }
        checkEventLoopModel(ctx);
        checkServable(ctx.owner(), ctx.nettyEventLoop());
        return ctx;
    }

    private static List<ContextInternal> fromVertx(Vertx vertx, int serviceThreads) {
        if (!(vertx instanceof VertxInternal)) {
            throw new IllegalArgumentException("The vertx backend serves Vertx instances made by Vert.x 5, found a "
                    + vertx.getClass().getName() + " that does not implement io.vertx.core.internal.VertxInternal.");
        }
        VertxInternal vx = (VertxInternal) vertx;
        checkOpen(vx);
        List<EventLoop> loops = eventLoops(vx.nettyEventLoopGroup());
        if (loops.isEmpty()) {
            throw new IllegalArgumentException("The Vertx instance " + vx + " has no event loop to run a guest on.");
        }
        for (EventLoop loop : loops) {
            checkServable(vx, loop);
        }
        int count = serviceThreads > 0 ? serviceThreads : loops.size();
        List<ContextInternal> contexts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            contexts.add(vx.contextBuilder()
                    .withThreadingModel(ThreadingModel.EVENT_LOOP)
                    .withEventLoop(loops.get(i % loops.size()))
                    .build());
        }
        return contexts;
    }

    private static List<EventLoop> eventLoops(EventLoopGroup group) {
        List<EventLoop> loops = new ArrayList<>();
        for (EventExecutor executor : group) {
            loops.add((EventLoop) executor);
        }
        return loops;
    }

    private static void checkOpen(VertxInternal vertx) {
        if (vertx.closeFuture().isClosed()) {
            throw new IllegalArgumentException("The Vertx instance " + vertx + " is closing or closed; "
                    + "a guest can only run on a live Vert.x.");
        }
    }

    private static void checkEventLoopModel(ContextInternal ctx) {
        ThreadingModel model = ctx.threadingModel();
        if (model == ThreadingModel.EVENT_LOOP) {
            return;
        }
        throw new IllegalArgumentException("The vertx backend runs a guest on an event-loop context only, but the host "
                + "context is a " + model + " context (" + ctx + "). A guest's callbacks must all run on one loop thread, "
                + "which a " + model + " context does not have. Pass the Vertx instance as host loop, or deploy the "
                + "verticle that hosts the guest with the default ThreadingModel.EVENT_LOOP and let it hand blocking "
                + "work to executeBlocking(...).");
    }

    private static void checkServable(VertxInternal vertx, EventLoop loop) {
        if (NettyLoopThread.serves(loop)) {
            return;
        }
        String found = vertx.isNativeTransportEnabled()
                ? "Vert.x runs on " + transportName(vertx) + " (event loop " + loop.getClass().getName() + ")"
                : "the context runs on a Netty event loop that is neither NIO, epoll nor io_uring (" + loop.getClass().getName() + ")";
        throw new IllegalArgumentException("The vertx backend can share a NIO, epoll or io_uring event loop, but " + found
                + ", whose loop cannot watch a socket of the guest. " + WHAT_TO_USE);
    }

    /** A phrase for the transport, e.g. {@code "its native epoll transport"}. */
    static String transportName(VertxInternal vertx) {
        String type = vertx.transport().getClass().getSimpleName();
        String lower = type.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("epoll")) {
            return "its native epoll transport";
        }
        if (lower.contains("uring")) {
            return "its native io_uring transport";
        }
        if (lower.contains("kqueue")) {
            return "its native kqueue transport";
        }
        return "the transport " + type;
    }
}
