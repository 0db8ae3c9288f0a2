package io.guestloop.websocket;

/**
 * Why a WebSocket connection failed: the peer broke the protocol, the handshake was refused, or a
 * limit was hit. {@link #closeCode()} is the close code sent (or, for a failed handshake,
 * {@link CloseCode#ABNORMAL_CLOSURE}); {@link #httpStatus()} the HTTP status of a refused handshake.
 *
 * <p><b>Threading:</b> an ordinary immutable exception.
 */
public class WebSocketException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int closeCode;
    private final int httpStatus;

    /** A failure of an open connection, closed with {@code closeCode}. */
    public WebSocketException(int closeCode, String message) {
        this(closeCode, 0, message, null);
    }

    /**
     * @param closeCode  the close code of the failure
     * @param httpStatus the HTTP status of a refused handshake, 0 when none applies
     * @param message    what was expected and what was found
     * @param cause      the underlying failure, or null
     */
    public WebSocketException(int closeCode, int httpStatus, String message, Throwable cause) {
        super(message, cause);
        this.closeCode = closeCode;
        this.httpStatus = httpStatus;
    }

    /** The close code this failure ended the connection with. */
    public int closeCode() {
        return closeCode;
    }

    /** The HTTP status of a refused opening handshake, or 0. */
    public int httpStatus() {
        return httpStatus;
    }
}
