package io.guestloop.internal;

/**
 * A {@link CoreConnection}'s life cycle, in this order: waiting to open (connecting, or accepted or
 * adopted and not yet told to the handler), open, flushing what is queued before it closes, closed.
 *
 * <p><b>Threading:</b> a value; the connection that holds it is its service thread's only.
 */
enum ConnectionState {
    PENDING, OPEN, CLOSING, CLOSED;

    /** Not yet closing: takes writes and close requests. */
    boolean live() {
        return this == PENDING || this == OPEN;
    }
}
