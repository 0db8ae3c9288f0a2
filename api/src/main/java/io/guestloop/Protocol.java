package io.guestloop;

/**
 * Per-thread start and stop of a protocol stack, given to {@link GuestContext.Builder#protocol}.
 * Like a libwebsockets protocol: told when each service thread starts, when its wait is cancelled,
 * and when it stops.
 *
 * <p>One object may be both a {@code Protocol} and the {@link ConnectionHandler} of its connections;
 * it then inherits two default {@code onEventWaitCancelled(ServiceThread)} methods and must override
 * the method once, and the core tells it once per dispatch, not once per role.
 *
 * <p><b>Threading:</b> each method runs on the service thread it names.
 */
public interface Protocol {

    /** The service thread is running; create listeners, connections and timers here. */
    default void onStart(ServiceThread thread) {
    }

    /** {@link GuestContext#cancelService()} was called; drain cross-thread queues here. */
    default void onEventWaitCancelled(ServiceThread thread) {
    }

    /** The context is closing; every connection of this thread is already closed. */
    default void onStop(ServiceThread thread) {
    }
}
