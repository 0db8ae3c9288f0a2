package io.guestloop.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The sockets one {@link CoreServiceThread} has open: its live connections, in a list threaded
 * through the connections themselves ({@link CoreConnection#prev}, {@link CoreConnection#next}),
 * so that opening or closing one allocates nothing, and its listeners.
 *
 * <p><b>Threading:</b> the service thread's loop thread only.
 */
final class OpenSockets {

    private CoreConnection connections;
    private final List<CoreListener> listeners = new ArrayList<>();

    /** {@code conn} is live from now on. */
    void add(CoreConnection conn) {
        conn.next = connections;
        if (connections != null) {
            connections.prev = conn;
        }
        connections = conn;
    }

    /** {@code conn} has closed. */
    void remove(CoreConnection conn) {
        if (conn.prev != null) {
            conn.prev.next = conn.next;
        } else if (connections == conn) {
            connections = conn.next;
        }
        if (conn.next != null) {
            conn.next.prev = conn.prev;
        }
        conn.prev = conn.next = null;
    }

    boolean hasConnections() {
        return connections != null;
    }

    /** Tells every connection live now that the context shuts down; one that closes meanwhile does not disturb the walk. */
    void shutdownConnections() {
        List<CoreConnection> open = new ArrayList<>();
        for (CoreConnection c = connections; c != null; c = c.next) {
            open.add(c);
        }
        for (CoreConnection c : open) {
            c.shutdown();
        }
    }

    /** Closes connections, with no cause, until none is left. */
    void closeConnections() {
        while (connections != null) {
            connections.closeWith(null);
        }
    }

    void add(CoreListener l) {
        listeners.add(l);
    }

    void remove(CoreListener l) {
        listeners.remove(l);
    }

    /** Closes every listener (each removes itself as it closes). */
    void closeListeners() {
        for (CoreListener l : listeners.toArray(new CoreListener[0])) {
            l.closeInternal();
        }
    }
}
