package io.guestloop;

import java.net.SocketAddress;

/**
 * A listening socket of a guest context. Accepted connections are spread over the context's service
 * threads, round robin, and handed to the listener's {@link ConnectionHandler} on the thread that
 * serves each.
 *
 * <p><b>Threading:</b> {@link #localAddress()} may be called from any thread; {@link #close()} must
 * be called on the service thread that accepts for this listener ({@link #serviceThread()}).
 */
public interface Listener {

    /** The bound address, with the port the OS picked when port 0 was asked for. */
    SocketAddress localAddress();

    /** The service thread that accepts for this listener. */
    ServiceThread serviceThread();

    /** Stops accepting and closes the listening socket; connections already accepted stay open. */
    void close();
}
