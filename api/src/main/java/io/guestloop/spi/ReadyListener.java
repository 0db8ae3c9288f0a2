package io.guestloop.spi;

/**
 * Receives readiness of one {@link Registration}.
 *
 * <p><b>Threading:</b> a backend calls it only on the loop thread the registration belongs to, and
 * never while another callback of that thread runs.
 */
@FunctionalInterface
public interface ReadyListener {

    /**
     * The channel is ready for {@code readyOps} ({@link java.nio.channels.SelectionKey#OP_READ} and
     * friends). A backend may report what its loop saw, even operations the interest set no longer
     * holds, and even for a registration cancelled earlier in the same turn: the guest core filters.
     */
    void onReady(int readyOps);
}
