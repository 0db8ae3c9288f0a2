package io.guestloop.vertx;

import io.guestloop.netty.HostGate;
import io.guestloop.netty.NettyLoopThread;
import io.netty.channel.IoEventLoop;
import io.vertx.core.Closeable;
import io.vertx.core.Handler;
import io.vertx.core.internal.ContextInternal;

import java.util.function.IntConsumer;

/**
 * How a guest service thread enters a Vert.x event-loop context. The thread itself is the netty
 * backend's {@link NettyLoopThread} on the context's Netty loop (a Vert.x event loop is a Netty 4.2
 * {@code IoEventLoop}, with a {@code NioIoHandler}, or an {@code EpollIoHandler} or
 * {@code IoUringIoHandler} on a native transport): the guest's channels are watched by that loop's
 * own handler, its timer and wake-ups are tasks on the loop's scheduler. What this gate adds is Vert.x:
 *
 * <ul>
 *   <li>Every callback into the guest runs through {@link ContextInternal#dispatch}, the way Vert.x
 *       runs verticle handlers: {@code Vertx.currentContext()} is this context, the thread's context
 *       class loader is the context's, the blocked-thread checker times the callback, and whatever
 *       escapes it goes to {@link ContextInternal#reportException} (the context's exception handler,
 *       else the {@code Vertx} instance's, else Vert.x's log).</li>
 *   <li>Exceptions the guest core caught in guest code ({@code guestFailed}) go the same way.</li>
 *   <li><b>Vert.x closing.</b> A close hook on the context's close future (Vert.x's own for a context
 *       this backend made, the deployment's for a verticle's context) runs when Vert.x closes or the
 *       verticle is undeployed, before any event loop stops. It delivers {@code onHostLoopClosing}
 *       once, on the loop inside the context, and lets Vert.x go on only when that callback has
 *       returned: the guest core releases the thread's sockets in it. The hook is removed when the
 *       guest closes first, so a long-lived Vert.x does not collect hooks. Should the Netty loop stop
 *       without the hook (nothing in Vert.x does that), the loop releasing the guest's channels or its
 *       termination still tells the guest, as in the netty backend.</li>
 * </ul>
 *
 * <p>Internal API used: {@link ContextInternal#dispatch} (the only way to run code "on" a context
 * from a Netty callback so that Vert.x sees it as the context's code),
 * {@link ContextInternal#nettyEventLoop()} (the loop whose handler watches the guest's channels),
 * {@code ContextInternal.closeFuture()} (the only notice of Vert.x closing that comes before its
 * loops stop).
 *
 * <p><b>Threading:</b> {@link #entry} and {@link #watchHost} from any thread; the entries it makes,
 * {@link #unwatchHost} and {@link #guestFailed} on the context's loop thread.
 */
final class ContextGate implements HostGate {

    private final ContextInternal context;
    /** Set by watchHost on any thread, removed by unwatchHost on the loop thread. */
    private volatile Closeable closeHook;

    private ContextGate(ContextInternal context) {
        this.context = context;
    }

    /**
     * A guest service thread on {@code context}.
     *
     * @param context an event-loop context on a NIO, epoll or io_uring Netty loop (checked by
     *                {@link HostContexts})
     * @param index   the service thread's index, for names until the loop thread is known
     */
    static NettyLoopThread serviceThread(ContextInternal context, int index) {
        return new NettyLoopThread((IoEventLoop) context.nettyEventLoop(), "vert.x context " + index + " (not started)",
                new ContextGate(context));
    }

    /** The Vert.x context every guest callback of this gate's thread runs on. */
    ContextInternal context() {
        return context;
    }

    @Override
    public String loopKind() {
        return "Vert.x event loop";
    }

    /** Made once per callback: each event then enters the context without allocating. */
    @Override
    public IntConsumer entry(IntConsumer callback) {
        // Ready ops and the 0 of the other callbacks box to cached Integers.
        Handler<Integer> handler = callback::accept;
        return argument -> context.dispatch(argument, handler);
    }

    @Override
    public void watchHost(NettyLoopThread thread) {
        Closeable hook = completion -> {
            if (!thread.hostLeaving(completion::succeed)) {
                completion.succeed();
            }
        };
        closeHook = hook;
        if (!context.closeFuture().add(hook)) {
            // Vert.x (or the verticle) began closing between build() and now: tell the guest at once.
            thread.hostLeaving(null);
        }
    }

    @Override
    public void unwatchHost(NettyLoopThread thread) {
        Closeable hook = closeHook;
        if (hook != null) {
            context.closeFuture().remove(hook);
        }
    }

    /**
     * Hands an exception thrown by guest code to the context, as Vert.x does for verticle code: the
     * context's {@code exceptionHandler}, else the {@code Vertx} instance's, else Vert.x's log.
     */
    @Override
    public void guestFailed(Throwable error) {
        context.reportException(error);
    }

    @Override
    public String toString() {
        return String.valueOf(context);
    }
}
