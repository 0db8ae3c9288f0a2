package io.guestloop.nio;

import io.guestloop.spi.ReadyListener;
import io.guestloop.spi.Registration;

import java.nio.channels.SelectionKey;

/**
 * A channel watched by a {@link SelectorLoop}: a thin face over its {@link SelectionKey}, which
 * carries this object as its attachment so a readiness event needs no lookup.
 *
 * <p><b>Threading:</b> loop thread only.
 */
final class NioRegistration implements Registration {

    final ReadyListener listener;
    private final SelectionKey key;

    NioRegistration(SelectionKey key, ReadyListener listener) {
        this.key = key;
        this.listener = listener;
        key.attach(this);
    }

    @Override
    public void interestOps(int ops) {
        if (key.isValid()) { // the guest may have closed the channel already
            key.interestOps(ops);
        }
    }

    @Override
    public void cancel() {
        key.cancel();
    }

    @Override
    public String toString() {
        return "NioRegistration[" + key.channel() + "]";
    }
}
