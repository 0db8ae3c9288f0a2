package io.guestloop.netty;

import io.guestloop.spi.ReadyListener;
import io.guestloop.spi.Registration;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.nio.NioIoEvent;
import io.netty.channel.nio.NioIoHandle;
import io.netty.channel.nio.NioIoOps;
import io.netty.util.concurrent.Future;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.util.function.IntConsumer;

/**
 * One guest channel watched by a Netty NIO loop: the guest's {@link Registration} on one side, and
 * on the other a {@link NioIoHandle} registered with the loop's {@code NioIoHandler}, which puts the
 * channel into the loop's own {@code Selector}. Readiness is therefore the selector's: level-triggered,
 * reported again on every turn while the channel stays ready. Each ready event reaches the guest
 * through the thread's {@link HostGate}.
 *
 * <p>Netty calls {@link NioIoHandle#close()} in two situations: when a key it selected turned out to
 * be cancelled or invalid (nothing to do for us: the guest cancelled it, or closed its channel), and
 * when the loop shuts down and its {@code IoHandler} releases every handle. Only the second means the
 * host is going away; the owning {@link NettyLoopThread} tells them apart. The handle never closes the
 * channel itself: the channel belongs to the guest, which closes it in its own cleanup.
 *
 * <p>A cancelled key may stay in the selector (and in the thread's list of keys to wait for) for a
 * while; it must not keep the guest's connection reachable, so {@link #cancel()} drops the listener.
 *
 * <p><b>Threading:</b> every method runs on the owning loop thread.
 */
final class NettyRegistration implements Registration {

    private final NettyLoopThread thread;
    private final SelectableChannel channel;
    private final Handle handle = new Handle();
    /** Made once by the gate: a ready event then enters the host without allocating. */
    private final IntConsumer entry;

    private ReadyListener listener;
    private IoRegistration ioRegistration;

    NettyRegistration(NettyLoopThread thread, SelectableChannel channel, ReadyListener listener) {
        this.thread = thread;
        this.channel = channel;
        this.listener = listener;
        this.entry = thread.gate().entry(this::deliver);
    }

    /**
     * Puts the channel into the loop's selector and starts watching {@code ops}. On the loop thread.
     *
     * @throws IOException when the loop cannot watch the channel (it is closed, say)
     */
    void attach(IoEventLoop loop, int ops) throws IOException {
        // On the loop thread, Netty registers synchronously: the future is already done here.
        Future<IoRegistration> future = loop.register(handle);
        if (!future.isDone()) {
            throw new IllegalStateException("Netty did not register " + channel + " synchronously on its loop thread; "
                    + "this Netty version is not supported");
        }
        if (!future.isSuccess()) {
            throw registrationFailure(future.cause());
        }
        this.ioRegistration = future.getNow();
        interestOps(ops);
    }

    @Override
    public void interestOps(int ops) {
        // Submitting to an invalid key (the guest closed the channel) is a no-op in Netty.
        ioRegistration.submit(NioIoOps.valueOf(ops));
    }

    @Override
    public void cancel() {
        if (listener == null) {
            return;
        }
        listener = null;
        // Netty checks this registration's validity before handing it any key it already selected
        // this turn, so no readiness gathered before the cancel reaches the guest.
        ioRegistration.cancel();
        thread.cancelled(ioRegistration.attachment());
        thread.forget(this);
    }

    private void ready(IoEvent event) {
        if (listener != null) {
            entry.accept(((NioIoEvent) event).ops().value());
        }
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

    /** The Netty side; kept apart so that the guest never sees Netty's callback methods. */
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
