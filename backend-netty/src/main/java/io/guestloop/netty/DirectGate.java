package io.guestloop.netty;

import io.netty.util.concurrent.SingleThreadEventExecutor;

import java.util.concurrent.RejectedExecutionException;
import java.util.function.IntConsumer;

/**
 * The gate of a plain Netty host: a guest callback runs directly on the loop thread, between the
 * host's own channel events, and the host leaving is heard through a shutdown hook of the loop
 * (needed when the guest has no channel there for the loop's {@code IoHandler} to release).
 *
 * <p><b>Threading:</b> {@link #watchHost} from any thread, {@link #unwatchHost} on the loop thread.
 */
final class DirectGate implements HostGate {

    /** Set by watchHost on any thread, removed by unwatchHost on the loop thread. */
    private volatile Runnable shutdownHook;

    @Override
    public String loopKind() {
        return "Netty loop";
    }

    @Override
    public IntConsumer entry(IntConsumer callback) {
        return callback;
    }

    @Override
    public void watchHost(NettyLoopThread thread) {
        if (thread.loop() instanceof SingleThreadEventExecutor) {
            Runnable hook = () -> thread.hostLeaving(null);
            shutdownHook = hook;
            try {
                ((SingleThreadEventExecutor) thread.loop()).addShutdownHook(hook);
            } catch (RejectedExecutionException e) {
                // Already shutting down; the loop's termination still tells the guest.
            }
        }
    }

    @Override
    public void unwatchHost(NettyLoopThread thread) {
        Runnable hook = shutdownHook;
        if (hook != null) {
            ((SingleThreadEventExecutor) thread.loop()).removeShutdownHook(hook);
        }
    }

    @Override
    public String toString() {
        return "direct";
    }
}
