package io.guestloop.vertx;

import io.guestloop.spi.ReadyListener;
import io.guestloop.spi.Registration;
import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.nio.NioIoEvent;
import io.netty.channel.nio.NioIoHandle;
import io.netty.channel.nio.NioIoOps;
import io.vertx.core.Handler;

import java.nio.channels.SelectableChannel;

/**
 * One guest channel watched by the NIO selector of the Netty event loop under a Vert.x context: the
 * guest's {@link Registration} on one side, a {@link NioIoHandle} registered with the loop's
 * {@code NioIoHandler} on the other. Readiness is the selector's, level-triggered; each ready event
 * reaches the guest inside the context's dispatch ({@link VertxLoopThread#dispatch}).
 *
 * <p>Netty calls {@link NioIoHandle#close()} when a key it selected was cancelled or invalid (nothing
 * to do: the guest cancelled it or closed its channel) and when the loop shuts down and releases
 * every handle; only the second means the host is going, and {@link VertxLoopThread} tells them
 * apart. The channel itself belongs to the guest and is never closed here.
 *
 * <p><b>Threading:</b> every method runs on the owning loop thread.
 */
final class VertxRegistration implements Registration {

    private final VertxLoopThread thread;
    private final SelectableChannel channel;
    private final ReadyListener listener;
    private final Handle handle = new Handle();
    /** Made once: a ready event then enters the context without allocating. */
    private final Handler<Integer> deliver = this::deliver;

    private IoRegistration ioRegistration;
    private int interestOps;
    private boolean cancelled;

    VertxRegistration(VertxLoopThread thread, SelectableChannel channel, ReadyListener listener) {
        this.thread = thread;
        this.channel = channel;
        this.listener = listener;
    }

    /** What is registered with the loop's {@code IoHandler}. */
    NioIoHandle handle() {
        return handle;
    }

    /** Called once the loop accepted the handle; starts watching {@code ops}. */
    void attach(IoRegistration registration, int ops) {
        this.ioRegistration = registration;
        interestOps(ops);
    }

    @Override
    public SelectableChannel channel() {
        return channel;
    }

    @Override
    public int interestOps() {
        return interestOps;
    }

    @Override
    public void interestOps(int ops) {
        if (cancelled) {
            throw new IllegalStateException("interestOps(" + ops + ") on a cancelled registration of " + channel
                    + "; register the channel again to watch it");
        }
        VertxLoopThread.checkOps(channel, ops);
        // On an invalid key (the guest closed the channel) Netty ignores this; the interest set is
        // still kept so that the guest reads back what it set.
        ioRegistration.submit(NioIoOps.valueOf(ops));
        interestOps = ops;
    }

    @Override
    public void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        // Netty checks the registration's validity before handing it a key selected this turn, so
        // nothing gathered before the cancel reaches the guest.
        ioRegistration.cancel();
        thread.forget(this);
    }

    @Override
    public boolean isValid() {
        return !cancelled && ioRegistration.isValid();
    }

    /** Stops watching without calling anyone back: the thread is closing. */
    void release() {
        if (!cancelled) {
            cancelled = true;
            ioRegistration.cancel();
        }
    }

    private void ready(IoEvent event) {
        if (cancelled || !thread.delivering()) {
            return;
        }
        // The selector reports against the interest set of its last select; the guest may have
        // narrowed it since and hears only of what it still asks for.
        int ready = ((NioIoEvent) event).ops().value() & interestOps;
        if (ready != 0) {
            thread.dispatch(ready, deliver);
        }
    }

    private void deliver(Integer readyOps) {
        // A callback earlier in this same selector turn may have cancelled us or closed the thread.
        if (!cancelled && thread.delivering()) {
            listener.onReady(this, readyOps);
        }
    }

    @Override
    public String toString() {
        return "VertxRegistration[" + channel + ", ops=" + interestOps + (cancelled ? ", cancelled" : "") + "]";
    }

    /** The Netty side, kept apart so that the guest never sees Netty's callback methods. */
    private final class Handle implements NioIoHandle {

        @Override
        public SelectableChannel selectableChannel() {
            return channel;
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            ready(event);
        }

        @Override
        public void close() {
            thread.handleClosedByLoop();
        }
    }
}
