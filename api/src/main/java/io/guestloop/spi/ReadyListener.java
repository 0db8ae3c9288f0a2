package io.guestloop.spi;

/**
 * Receives readiness of one {@link Registration}.
 *
 * <p><b>Threading:</b> called only on the loop thread the registration belongs to.
 */
@FunctionalInterface
public interface ReadyListener {

    /**
     * The channel is ready for {@code readyOps}, a non-empty subset of the registration's current
     * interest set ({@link java.nio.channels.SelectionKey#OP_READ} and friends).
     */
    void onReady(Registration registration, int readyOps);
}
