package io.guestloop.websocket;

/**
 * The status codes of a WebSocket close frame (RFC 6455 section 7.4 and the IANA registry), and the
 * rules for which of them may travel on the wire.
 *
 * <p><b>Threading:</b> constants and pure static methods; any thread.
 */
public final class CloseCode {

    /** The purpose of the connection was fulfilled. */
    public static final int NORMAL = 1000;
    /** An endpoint is going away: a server shutting down, a page left, an idle connection dropped. */
    public static final int GOING_AWAY = 1001;
    /** The peer broke the protocol (bad frame, bad handshake state, bad close payload). */
    public static final int PROTOCOL_ERROR = 1002;
    /** The peer sent a kind of data this endpoint cannot accept (text to a binary-only endpoint). */
    public static final int UNSUPPORTED_DATA = 1003;
    /** Never sent: reported locally when a close frame carried no status code. */
    public static final int NO_STATUS_RECEIVED = 1005;
    /** Never sent: reported locally when the connection ended without a close frame. */
    public static final int ABNORMAL_CLOSURE = 1006;
    /** A text message (or close reason) was not valid UTF-8. */
    public static final int INVALID_PAYLOAD = 1007;
    /** A message broke the endpoint's policy; the generic code when no other fits. */
    public static final int POLICY_VIOLATION = 1008;
    /** A frame or message was larger than the configured limit. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** Sent by a client: the server did not negotiate an extension the client requires. */
    public static final int MANDATORY_EXTENSION = 1010;
    /** The endpoint hit an unexpected condition (an exception in application code). */
    public static final int INTERNAL_ERROR = 1011;
    /** The service is restarting. */
    public static final int SERVICE_RESTART = 1012;
    /** The service is overloaded; try again later. */
    public static final int TRY_AGAIN_LATER = 1013;
    /** A gateway got an invalid response from upstream. */
    public static final int BAD_GATEWAY = 1014;
    /** Never sent: the TLS handshake failed. */
    public static final int TLS_HANDSHAKE = 1015;

    private CloseCode() {
    }

    /**
     * True when {@code code} may appear in a close frame: the defined codes except the three that
     * only report local conditions (1005, 1006, 1015), and the ranges 3000-3999 (registered) and
     * 4000-4999 (private use). A close frame carrying anything else is a protocol error.
     */
    public static boolean isValidOnWire(int code) {
        if (code >= 3000 && code <= 4999) {
            return true;
        }
        return (code >= NORMAL && code <= UNSUPPORTED_DATA) || (code >= INVALID_PAYLOAD && code <= BAD_GATEWAY);
    }
}
