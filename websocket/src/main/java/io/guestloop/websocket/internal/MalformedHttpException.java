package io.guestloop.websocket.internal;

/**
 * An HTTP head that cannot be accepted: malformed, too large, or not what the handshake requires.
 * The message says what was expected and what was found; the server sends it as the body of a
 * {@code 400} (or {@link #status()}) answer.
 *
 * <p><b>Threading:</b> an ordinary immutable exception.
 */
public final class MalformedHttpException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;

    /** A {@code 400 Bad Request}. */
    public MalformedHttpException(String message) {
        this(400, message);
    }

    /** An answer with the given status. */
    public MalformedHttpException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** The HTTP status a server answers with. */
    public int status() {
        return status;
    }
}
