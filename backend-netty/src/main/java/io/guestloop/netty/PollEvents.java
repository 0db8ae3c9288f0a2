package io.guestloop.netty;

import java.nio.channels.SelectionKey;

/**
 * Turns what epoll or a poll request reported for a descriptor into the {@link SelectionKey}
 * operations the guest asked for. The bits are Linux's and the same for {@code epoll(7)} and
 * {@code poll(2)}; an error or hang-up is reported as every operation of interest, as the JDK's own
 * selector does, so that the guest's next read, write or {@code finishConnect} meets the error.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
final class PollEvents {

    static final int IN = 0x001;
    static final int OUT = 0x004;
    static final int ERR = 0x008;
    static final int HUP = 0x010;

    private static final int READ_LIKE = SelectionKey.OP_READ | SelectionKey.OP_ACCEPT;
    private static final int WRITE_LIKE = SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT;

    private PollEvents() {
    }

    /** The poll bits to ask for when the guest watches {@code ops}. */
    static int mask(int ops) {
        return ((ops & READ_LIKE) != 0 ? IN : 0) | ((ops & WRITE_LIKE) != 0 ? OUT : 0);
    }

    /** The operations of {@code interest} that {@code events} makes ready. */
    static int readyOps(int events, int interest) {
        boolean failed = (events & (ERR | HUP)) != 0;
        int ready = 0;
        if (failed || (events & IN) != 0) {
            ready |= interest & READ_LIKE;
        }
        if (failed || (events & OUT) != 0) {
            ready |= interest & WRITE_LIKE;
        }
        return ready;
    }
}
