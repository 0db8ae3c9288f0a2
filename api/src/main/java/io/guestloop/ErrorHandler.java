package io.guestloop;

/**
 * Receives exceptions thrown by guest code. The core then closes the connection the failing
 * callback belonged to (if any); the loop goes on. A backend whose host reports errors of its own
 * (a Vert.x context's exception handler) is told as well, after this handler.
 *
 * <p><b>Threading:</b> called on the service thread where the callback failed; must not throw
 * (what it throws is logged and dropped).
 */
@FunctionalInterface
public interface ErrorHandler {

    /**
     * @param thread     the service thread the failing callback ran on
     * @param connection the connection whose callback failed, or {@code null} for timers, protocols
     *                   and wake-ups
     * @param error      what was thrown
     */
    void onError(ServiceThread thread, Connection connection, Throwable error);
}
