package io.guestloop.vertx;

import io.guestloop.Connection;
import io.guestloop.ErrorHandler;
import io.guestloop.ServiceThread;
import io.vertx.core.internal.ContextInternal;

import java.util.Objects;

/**
 * An {@link ErrorHandler} that gives each exception thrown by guest code to the guest's own handler
 * and then to the Vert.x context the failing callback ran on, as Vert.x does for an exception thrown
 * by verticle code: the context's {@code exceptionHandler}, else the {@code Vertx} instance's, else
 * Vert.x's log.
 *
 * <pre>{@code
 * context.exceptionHandler(t -> metrics.count(t));
 * GuestContext guest = GuestContext.builder()
 *         .hostLoop(context)
 *         .errorHandler(new ContextErrorHandler((thread, connection, error) -> log(error)))
 *         .build();
 * }</pre>
 *
 * <p>Why it is needed: the guest core catches what guest code throws (the failing connection is
 * closed, the loop goes on) before the exception could reach the backend, so the backend alone cannot
 * hand it to Vert.x. What escapes the core itself does reach the context, through its dispatch.
 *
 * <p><b>Threading:</b> called by the core on the service thread where the callback failed, which on
 * this backend runs inside the context's dispatch; that is how {@link ContextInternal#current()}
 * finds the context. Called on a thread with no Vert.x context (another backend), it only calls the
 * guest's handler. Immutable.
 */
public final class ContextErrorHandler implements ErrorHandler {

    private static final System.Logger LOG = System.getLogger(ContextErrorHandler.class.getName());

    private final ErrorHandler guestHandler;

    /** Reports to the Vert.x context only. */
    public ContextErrorHandler() {
        this((thread, connection, error) -> { });
    }

    /**
     * @param guestHandler called first with every exception; what it throws is logged and does not
     *                     stop the report to the context
     */
    public ContextErrorHandler(ErrorHandler guestHandler) {
        this.guestHandler = Objects.requireNonNull(guestHandler, "guestHandler");
    }

    @Override
    public void onError(ServiceThread thread, Connection connection, Throwable error) {
        try {
            guestHandler.onError(thread, connection, error);
        } catch (Throwable t) {
            t.addSuppressed(error);
            LOG.log(System.Logger.Level.WARNING, "the guest's error handler threw on " + thread
                    + "; the error still goes to the Vert.x context", t);
        }
        ContextInternal context = ContextInternal.current();
        if (context != null) {
            context.reportException(error);
        }
    }
}
