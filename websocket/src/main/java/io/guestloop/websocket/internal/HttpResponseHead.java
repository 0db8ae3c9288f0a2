package io.guestloop.websocket.internal;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The head of an HTTP/1.1 response as the client reads it after sending its upgrade request:
 * collected incrementally with a size limit, then its status line parsed. Bytes after the head
 * (frames the server sent right after its 101) are left in the caller's buffer.
 *
 * <p><b>Threading:</b> not thread-safe; one instance per connection, used on its service thread.
 */
public final class HttpResponseHead {

    private final HttpHeadParser head;
    private int status = -1;
    private String reason;

    /** @param maxSize the largest response head accepted, in bytes */
    public HttpResponseHead(int maxSize) {
        this.head = new HttpHeadParser(maxSize);
    }

    /**
     * Takes bytes from {@code in} up to the end of the head.
     *
     * @return true once the whole head is read and valid
     * @throws MalformedHttpException when it is too large or malformed
     */
    public boolean feed(ByteBuffer in) throws MalformedHttpException {
        if (status >= 0) {
            return true;
        }
        if (!head.feed(in)) {
            return false;
        }
        String line = head.startLine();
        if (line.length() < 12 || !line.matches("HTTP/1\\.[0-9] [0-9]{3}( .*)?")) {
            throw new MalformedHttpException("status line must be 'HTTP/1.1 NNN reason', got '"
                    + HandshakeRequest.abbreviate(line) + "'");
        }
        reason = line.length() > 13 ? line.substring(13) : "";
        status = Integer.parseInt(line.substring(9, 12));
        return true;
    }

    /** The status code. */
    public int status() {
        return status;
    }

    /** The reason phrase, "" when none. */
    public String reason() {
        return reason;
    }

    /** The header with this lower-case name, or null. */
    public String header(String lowerCaseName) {
        return head.headers().get(lowerCaseName);
    }

    /** Every header by lower-case name. */
    public Map<String, String> headers() {
        return head.headers();
    }
}
