package io.guestloop.internal;

import io.guestloop.ConnectionHandler;

import java.util.IdentityHashMap;

/**
 * The handlers bound to one service thread (by its connections, listeners, mailboxes and
 * {@code ServiceThread.bind}), counted by identity so that a handler shared by many connections is
 * told of a cancelled wait once.
 *
 * <p><b>Threading:</b> not thread-safe; used on its service thread only.
 */
final class BoundHandlers {

    private static final ConnectionHandler[] NONE = new ConnectionHandler[0];

    private final IdentityHashMap<ConnectionHandler, int[]> counts = new IdentityHashMap<>();
    private ConnectionHandler[] snapshot = NONE;

    void bind(ConnectionHandler handler) {
        int[] count = counts.get(handler);
        if (count == null) {
            counts.put(handler, new int[] {1});
            snapshot = null;
        } else {
            count[0]++;
        }
    }

    void unbind(ConnectionHandler handler) {
        int[] count = counts.get(handler);
        if (count != null && --count[0] == 0) {
            counts.remove(handler);
            snapshot = null;
        }
    }

    /**
     * The handlers bound now, each once. The array is not changed by later binds and unbinds, so a
     * dispatch may iterate it while its callbacks bind and unbind.
     */
    ConnectionHandler[] snapshot() {
        ConnectionHandler[] s = snapshot;
        if (s == null) {
            s = snapshot = counts.keySet().toArray(NONE);
        }
        return s;
    }

    void clear() {
        counts.clear();
        snapshot = NONE;
    }
}
