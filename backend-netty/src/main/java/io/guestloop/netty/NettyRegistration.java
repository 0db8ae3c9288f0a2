package io.guestloop.netty;

import io.guestloop.spi.ReadyListener;
import io.guestloop.spi.Registration;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.Future;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.IntConsumer;

/**
 * One guest channel watched by a Netty loop: the guest's {@link Registration} on one side, and on
 * the other a {@link Watch} registered with the loop's own {@code IoHandler} (the loop's selector,
 * epoll set or ring, as its {@link LoopKind} says). Readiness is level-triggered on every kind:
 * reported again on every turn while the channel stays ready. Each ready event reaches the guest
 * through the thread's {@link HostGate}.
 *
 * <p>A cancelled watch may stay with the loop for a while (a key in the selector, a poll the ring
 * has not answered, and the thread's list of watches to wait for); it must not keep the guest's
 * connection reachable, so {@link #cancel()} drops the listener.
 *
 * <p><b>Threading:</b> every method runs on the owning loop thread.
 */
final class NettyRegistration implements Registration {

    private final NettyLoopThread thread;
    private final SelectableChannel channel;
    /** Made once by the gate: a ready event then enters the host without allocating. */
    private final IntConsumer entry;

    private ReadyListener listener;
    private Watch watch;

    NettyRegistration(NettyLoopThread thread, SelectableChannel channel, ReadyListener listener) {
        this.thread = thread;
        this.channel = channel;
        this.listener = listener;
        this.entry = thread.gate().entry(this::deliver);
    }

    /**
     * Registers the channel with the loop's {@code IoHandler} and starts watching {@code ops}. On the
     * loop thread.
     *
     * @throws IOException              when the loop cannot watch the channel (it is closed, say)
     * @throws IllegalArgumentException when this kind of loop cannot watch this kind of channel
     */
    void attach(IoEventLoop loop, int ops) throws IOException {
        Watch w = thread.kind().watch(this, channel);
        // On the loop thread, Netty registers synchronously: the future is already done here.
        Future<IoRegistration> future = loop.register(w);
        if (!future.isDone()) {
            throw new IllegalStateException("Netty did not register " + channel + " synchronously on its loop thread; "
                    + "this Netty version is not supported");
        }
        if (!future.isSuccess()) {
            throw registrationFailure(future.cause());
        }
        w.bind(future.getNow());
        watch = w;
        w.interest(ops);
    }

    /** The channel watched. */
    SelectableChannel channel() {
        return channel;
    }

    @Override
    public void interestOps(int ops) {
        if (listener != null) {
            try {
                watch.interest(ops);
            } catch (RejectedExecutionException e) {
                // The loop has terminated (its last cleanup runs off it): nothing is watched any more.
            }
        }
    }

    @Override
    public void cancel() {
        if (listener == null) {
            return;
        }
        listener = null;
        // Every loop kind checks the registration (or the watch checks itself) before handing it an
        // event it already collected this turn, so no readiness gathered before the cancel reaches the guest.
        try {
            watch.cancel();
        } catch (RejectedExecutionException e) {
            // The loop has terminated and let go of every handle: nothing left to cancel.
        }
        thread.cancelled(watch);
        thread.forget(this);
    }

    /** From the watch: the channel is ready for {@code readyOps} ({@code SelectionKey} bits). */
    void ready(int readyOps) {
        if (listener != null && readyOps != 0) {
            entry.accept(readyOps);
        }
    }

    /**
     * From a native channel being closed, before its descriptor is (any thread): the watch goes
     * first, on the loop thread. Off the loop the descriptor may close before the loop lets go of it;
     * epoll and io_uring cope with that (the kernel drops a closed descriptor, a poll holds its file).
     */
    void channelClosing() {
        if (thread.loop().inEventLoop()) {
            cancel();
            return;
        }
        try {
            thread.loop().execute(this::cancel);
        } catch (RejectedExecutionException e) {
            // The loop is gone, and with it every watch of the guest.
        }
    }

    /** From the watch: Netty closed the handle; only a loop that is shutting down means the host is leaving. */
    void closedByLoop() {
        thread.handleClosedByLoop();
    }

    private void deliver(int readyOps) {
        ReadyListener l = listener;
        if (l != null) {
            l.onReady(readyOps);
        }
    }

    private IOException registrationFailure(Throwable cause) {
        if (cause instanceof IOException) {
            return (IOException) cause;
        }
        if (cause instanceof RuntimeException) {
            throw (RuntimeException) cause;
        }
        return new IOException("the " + thread.gate().loopKind() + " could not watch " + channel + ": " + cause, cause);
    }

    @Override
    public String toString() {
        return "NettyRegistration[" + channel + (listener == null ? ", cancelled]" : "]");
    }
}
