package io.guestloop.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What an echo server sent back so far: messages for a WebSocket server, bytes for the raw echo.
 * The runner reads it with the loop thread's CPU time and allocation in one {@code cpu} answer, so
 * that per-message figures divide the loop's own work by the messages that work echoed, over the
 * same instants; the generator's count of echoes received differs from it by what is in flight.
 *
 * <p><b>Threading:</b> {@link #add} on the server's one loop thread only (a plain read and an opaque
 * write: no fence on the echo path); {@link #get} from any thread.
 */
final class EchoCount {

    private static final VarHandle COUNT;

    static {
        try {
            COUNT = MethodHandles.lookup().findVarHandle(EchoCount.class, "count", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through COUNT
    private long count;

    /** Counts {@code n} more; the loop thread only. */
    void add(long n) {
        COUNT.setOpaque(this, count + n);
    }

    /** The count so far, as the loop thread last wrote it. */
    long get() {
        return (long) COUNT.getOpaque(this);
    }
}
