package io.guestloop.netty;

import java.util.function.IntConsumer;

/**
 * The host's side of a {@link NettyLoopThread}: how a guest callback enters the host, and how the
 * thread hears that the host is leaving. It is the one thing a backend built on Netty loops that
 * another framework owns has to write; the loop thread does everything else (registrations in the
 * loop's selector, the timer, wake-ups, closing, host shutdown seen through the loop itself).
 *
 * <p>The netty backend's own gate runs callbacks directly and hears the loop's shutdown hook. The
 * vertx backend's gate runs each callback inside the context's dispatch (so the framework sees guest
 * code as its own: current context, blocked-thread checker, exception handler) and hears the
 * context's close hook, which Vert.x runs before it stops any loop.
 *
 * <p>Each {@link NettyLoopThread} has a gate of its own.
 *
 * <p><b>Threading:</b> as each method says; none may block.
 */
public interface HostGate {

    /**
     * A short phrase naming the host's loops in messages and logs, used as in
     * "register must be called on the <i>Netty loop</i> thread ...". Any thread.
     */
    String loopKind();

    /**
     * How {@code callback} runs as the host runs its own code. The function returned is called for
     * every event of that callback (a ready channel, a wake-up, the timer) with its argument (the
     * ready operations, else 0), on the loop thread, or once the loop has terminated on the thread
     * that saw it end: it must not allocate, and must not block. It may catch what the callback
     * throws and report it the host's way; whatever escapes it the loop thread logs and goes on.
     *
     * <p>Called once per callback when the thread or a registration is made (any thread), never on
     * a hot path. The netty backend returns {@code callback} itself.
     */
    IntConsumer entry(IntConsumer callback);

    /**
     * Starts listening for the host leaving, and from then on calls
     * {@link NettyLoopThread#hostLeaving(Runnable)} when it does (or at once, when the host is
     * already leaving). The loop thread itself also notices a loop that shuts down, so this is for
     * a notice that comes earlier, or when the guest has no channel on the loop. Called once, by
     * {@link NettyLoopThread#start}, on any thread.
     */
    void watchHost(NettyLoopThread thread);

    /**
     * Stops listening, because the guest closed first: a long-lived host must not collect one hook
     * per guest context it ever served. Called at most once, after {@link #watchHost}, on the loop
     * thread.
     */
    void unwatchHost(NettyLoopThread thread);

    /**
     * Passes on an exception the guest core caught in guest code, to the host's own error reporting
     * ({@link io.guestloop.spi.LoopThread#guestFailed}). Loop thread; must not throw. The default
     * does nothing.
     */
    default void guestFailed(Throwable error) {
    }
}
