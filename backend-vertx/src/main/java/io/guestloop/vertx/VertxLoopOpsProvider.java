package io.guestloop.vertx;

import io.guestloop.netty.NettyLoopOps;
import io.guestloop.netty.NettyLoopThread;
import io.guestloop.spi.LoopOps;
import io.guestloop.spi.LoopOpsProvider;
import io.guestloop.spi.LoopOptions;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

import java.util.ArrayList;
import java.util.List;

/**
 * Provider {@code vertx}: runs guests on Vert.x 5 event-loop contexts. Passing a {@link Vertx} or a
 * {@link Context} to {@code GuestContext.Builder.hostLoop(...)} selects it through
 * {@link java.util.ServiceLoader}, without naming it.
 *
 * <ul>
 *   <li>A {@code Vertx}: the guest gets one new event-loop context per service thread, as many as
 *       asked; by default one per Vert.x event loop ({@code VertxOptions.getEventLoopPoolSize()}).</li>
 *   <li>A {@code Context} (say a verticle's {@code context}): the guest's single service thread is
 *       that context, so verticle code and guest code run on it one after another and call each
 *       other without locks.</li>
 * </ul>
 *
 * <p>The transport may be NIO or a native one (epoll, io_uring) that the netty backend serves; the
 * guest's channels then come from that backend's {@code channelProvider()}.
 *
 * <p>It accepts every {@code Vertx} and {@code Context}, so that one it cannot serve (a worker or
 * virtual-thread context, a kqueue transport, a closed Vert.x) is refused by
 * {@link #create} with a message saying what was found and what to do, not by a generic "no backend
 * accepts this host loop".
 *
 * <p>Each service thread is the netty backend's {@link NettyLoopThread} on the context's Netty loop,
 * entering the context through a {@link ContextGate}. Relies on Vert.x internal API
 * ({@code io.vertx.core.internal}, exported by vertx-core): see {@link HostContexts} and
 * {@link ContextGate} for which and why.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
public final class VertxLoopOpsProvider implements LoopOpsProvider {

    /** The provider name, {@code vertx}. */
    public static final String NAME = "vertx";

    /** Called by {@link java.util.ServiceLoader}. */
    public VertxLoopOpsProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Above the built-in {@code nio} (0): a Vert.x host loop should get the Vert.x backend. */
    @Override
    public int priority() {
        return 10;
    }

    @Override
    public boolean accepts(Object hostLoop) {
        return hostLoop instanceof Vertx || hostLoop instanceof Context;
    }

    @Override
    public String describe() {
        return "vertx: a Vert.x 5 Vertx or event-loop Context (NIO, epoll or io_uring transport) as host loop (guestloop-backend-vertx)";
    }

    /**
     * @throws IllegalArgumentException when the host loop is not a Vert.x event-loop context on NIO,
     *                                  epoll or io_uring (the message names what it is), when Vert.x is closed, when a
     *                                  single context is asked for several threads, or when the
     *                                  context asks to run on the caller's thread
     */
    @Override
    public LoopOps create(LoopOptions options) {
        if (options.runOnCaller()) {
            throw new IllegalArgumentException("The vertx backend runs the guest on Vert.x event loops and cannot run "
                    + "on the calling thread; drop runOnCallingThread() or use the nio backend.");
        }
        List<ContextInternal> contexts = HostContexts.resolve(options.hostLoop(), options.serviceThreads());
        List<NettyLoopThread> threads = new ArrayList<>(contexts.size());
        for (ContextInternal context : contexts) {
            threads.add(ContextGate.serviceThread(context, threads.size()));
        }
        // Never owns Vert.x: closing releases what the guest left and leaves Vert.x, its contexts and
        // their verticles running; contexts made for a Vertx host share its close future, nothing to close.
        return new NettyLoopOps(threads);
    }
}
