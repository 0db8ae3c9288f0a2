package io.guestloop.nio;

import io.guestloop.spi.ReadyListener;
import io.guestloop.spi.Registration;

import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;

/**
 * A channel watched by a {@link SelectorLoop}: a thin face over its {@link SelectionKey}, which
 * carries this object as its attachment so a readiness event needs no lookup.
 *
 * <p><b>Threading:</b> loop thread only. {@link #interestOps(int)} checks it; {@link #cancel()}
 * tolerates another thread (a {@code SelectionKey} may be cancelled from anywhere) but then cannot
 * stop a callback that is already running.
 */
final class NioRegistration implements Registration {

    private final SelectorLoop loop;
    private final SelectableChannel channel;
    final ReadyListener listener;
    private SelectionKey key;
    // Cached so that dispatch and unchanged updates never touch the key.
    private int interest;
    private boolean cancelled;

    NioRegistration(SelectorLoop loop, SelectableChannel channel, int interestOps, ReadyListener listener) {
        this.loop = loop;
        this.channel = channel;
        this.interest = interestOps;
        this.listener = listener;
    }

    void bind(SelectionKey key) {
        this.key = key;
    }

    @Override
    public SelectableChannel channel() {
        return channel;
    }

    @Override
    public int interestOps() {
        return interest;
    }

    @Override
    public void interestOps(int ops) {
        loop.requireLoopThread("Registration.interestOps");
        if (!isValid()) {
            throw new IllegalStateException("the registration of " + channel + " is "
                    + (cancelled ? "cancelled" : "no longer valid (channel closed or loop closed)")
                    + "; register the channel again to watch it");
        }
        SelectorLoop.checkOps(channel, ops);
        if (ops != interest) {
            key.interestOps(ops);
            interest = ops;
        }
    }

    @Override
    public void cancel() {
        if (!cancelled) {
            cancelled = true;
            key.cancel();
        }
    }

    @Override
    public boolean isValid() {
        return !cancelled && key.isValid();
    }

    @Override
    public String toString() {
        return "NioRegistration[" + channel + ", interest 0x" + Integer.toHexString(interest)
                + (isValid() ? "" : ", invalid") + "]";
    }
}
