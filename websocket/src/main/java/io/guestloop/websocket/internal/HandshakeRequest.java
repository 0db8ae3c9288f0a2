package io.guestloop.websocket.internal;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The head of an HTTP/1.1 request as the server reads it: collected incrementally with a size
 * limit, then its request line parsed. Only origin-form targets ({@code /path?query}) are accepted.
 *
 * <p><b>Threading:</b> not thread-safe; one instance per connection, used on its service thread.
 */
public final class HandshakeRequest {

    private final HttpHeadParser head;
    private String method;
    private String target;
    private int minorVersion;

    /** @param maxSize the largest request head accepted, in bytes */
    public HandshakeRequest(int maxSize) {
        this.head = new HttpHeadParser(maxSize);
    }

    /**
     * Takes bytes from {@code in} up to the end of the head; nothing after it is consumed.
     *
     * @return true once the whole head is read and valid
     * @throws MalformedHttpException when it is too large or malformed (answer 400 and close)
     */
    public boolean feed(ByteBuffer in) throws MalformedHttpException {
        if (method != null) {
            return true;
        }
        if (!head.feed(in)) {
            return false;
        }
        String line = head.startLine();
        String[] parts = line.split(" ", -1);
        if (parts.length != 3) {
            throw new MalformedHttpException("request line must be 'METHOD target HTTP/1.1', got '" + abbreviate(line) + "'");
        }
        if (!HttpHeadParser.isToken(parts[0])) {
            throw new MalformedHttpException("method '" + abbreviate(parts[0]) + "' is not an HTTP token");
        }
        if (parts[1].isEmpty() || parts[1].charAt(0) != '/') {
            throw new MalformedHttpException("request target must start with '/', got '" + abbreviate(parts[1]) + "'");
        }
        if (!parts[2].matches("HTTP/1\\.[0-9]")) {
            throw new MalformedHttpException("expected HTTP/1.x, got '" + abbreviate(parts[2]) + "'");
        }
        minorVersion = parts[2].charAt(7) - '0';
        target = parts[1];
        method = parts[0];
        return true;
    }

    /** The method, such as {@code GET}. */
    public String method() {
        return method;
    }

    /** The request target as sent, query included. */
    public String target() {
        return target;
    }

    /** The target without its query. */
    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** 1 for HTTP/1.1, 0 for HTTP/1.0. */
    public int minorVersion() {
        return minorVersion;
    }

    /** The header with this lower-case name, or null. */
    public String header(String lowerCaseName) {
        return head.headers().get(lowerCaseName);
    }

    /** Every header by lower-case name. */
    public Map<String, String> headers() {
        return head.headers();
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
