package io.guestloop.internal;

import java.nio.channels.SelectableChannel;

/**
 * The one check of an interest set against what a channel can do.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
final class InterestOps {

    private InterestOps() {
    }

    /** @throws IllegalArgumentException when {@code ops} holds an operation {@code channel} cannot do */
    static void check(SelectableChannel channel, int ops) {
        if ((ops & ~channel.validOps()) != 0) {
            throw new IllegalArgumentException("interest ops 0x" + Integer.toHexString(ops) + " include operations a "
                    + channel.getClass().getSimpleName() + " cannot do; ask for a subset of its validOps(), 0x"
                    + Integer.toHexString(channel.validOps()));
        }
    }
}
