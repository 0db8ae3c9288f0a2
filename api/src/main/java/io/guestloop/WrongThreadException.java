package io.guestloop;

/**
 * Thrown when a guest method that must run on its service thread is called from another thread.
 * The message names the method, the service thread and the calling thread, and points to
 * {@link GuestContext#cancelService()}, the one thread-safe way in.
 *
 * <p><b>Threading:</b> an ordinary immutable exception.
 */
public class WrongThreadException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * @param what          the method that was called, e.g. {@code "Connection.write"}
     * @param loopThread    the name of the service thread that owns the object
     * @param callingThread the name of the thread that made the call
     */
    public WrongThreadException(String what, String loopThread, String callingThread) {
        super(what + " must be called on service thread '" + loopThread + "' but was called on '" + callingThread
                + "'. From another thread, queue the work and call GuestContext.cancelService(), then run it in "
                + "ConnectionHandler.onEventWaitCancelled (io.guestloop.Mailbox does this for you).");
    }
}
