package io.guestloop.netty;

import io.netty.channel.IoHandle;
import io.netty.channel.IoRegistration;

/**
 * The loop-specific half of one {@link NettyRegistration}: the {@link IoHandle} the loop's
 * {@code IoHandler} takes (a {@code NioIoHandle}, an {@code EpollIoHandle}, an
 * {@code IoUringIoHandle}), what it submits when the guest's interest changes, and how it turns
 * the loop's events back into {@link java.nio.channels.SelectionKey} operations.
 *
 * <p>Netty calls {@link #close()} when a handle it holds must go: when the loop shuts down and its
 * {@code IoHandler} releases every handle, and (NIO) when a key it selected turned out to be
 * invalid. Only the first means the host is leaving; the owning thread tells them apart. A watch
 * never closes the channel: it belongs to the guest.
 *
 * <p><b>Threading:</b> every method runs on the loop thread.
 */
abstract class Watch implements IoHandle {

    final NettyRegistration owner;
    /** The loop's registration of this handle, once {@link #bind} ran. */
    IoRegistration io;

    Watch(NettyRegistration owner) {
        this.owner = owner;
    }

    /** The loop registered this handle; from now on it may submit. */
    void bind(IoRegistration registration) {
        this.io = registration;
    }

    /** Watches {@code ops} ({@code SelectionKey} bits, 0 for nothing) from now on, level-triggered. */
    abstract void interest(int ops);

    /** Stops watching for good; nothing is reported afterwards. Called once. */
    void cancel() {
        io.cancel();
    }

    /**
     * True once the loop has let go of the channel after {@link #cancel()}: a service thread's close
     * completes only when every watch it cancelled has (a NIO selector drops a cancelled key at its
     * next selection, an io_uring ring answers outstanding polls later).
     */
    abstract boolean letGo();

    @Override
    public final void close() {
        owner.closedByLoop();
    }
}
