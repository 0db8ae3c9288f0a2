package io.guestloop.websocket.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Collects an HTTP/1.1 message head (start line and header fields, up to the empty line) from bytes
 * that arrive split anywhere, with a size limit, and parses it. It consumes nothing past the empty
 * line, so bytes that follow the head (a server's first frame right after its 101 answer) stay in
 * the caller's buffer. Used for requests by the server and responses by the client.
 *
 * <p>Strict on purpose: lines end with CRLF, field names are tokens with no space before the colon,
 * obsolete line folding and control characters are refused.
 *
 * <p><b>Threading:</b> not thread-safe; one instance per connection, used on its service thread.
 */
public final class HttpHeadParser {

    private final int maxSize;
    private byte[] bytes = new byte[512];
    private int length;
    private int matched;
    private String startLine;
    private Map<String, String> headers;

    /** @param maxSize the largest head accepted, in bytes, the final empty line included */
    public HttpHeadParser(int maxSize) {
        this.maxSize = maxSize;
    }

    /**
     * Takes bytes from {@code in} up to the end of the head.
     *
     * @return true once the head is complete and parsed (call no more)
     * @throws MalformedHttpException when the head exceeds the limit or cannot be parsed
     */
    public boolean feed(ByteBuffer in) throws MalformedHttpException {
        if (startLine != null) {
            return true;
        }
        while (in.hasRemaining()) {
            if (length == maxSize) {
                throw new MalformedHttpException("HTTP head larger than the limit of " + maxSize + " bytes");
            }
            byte b = in.get();
            if (length == bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.min(maxSize, bytes.length * 2));
            }
            bytes[length++] = b;
            if (b == '\r') {
                matched = matched == 2 ? 3 : 1;
            } else if (b == '\n' && (matched == 1 || matched == 3)) {
                matched++;
                if (matched == 4) {
                    parse();
                    return true;
                }
            } else {
                matched = 0;
            }
        }
        return false;
    }

    /** The request or status line; null until {@link #feed} returned true. */
    public String startLine() {
        return startLine;
    }

    /**
     * The header fields by lower-case name; fields that appear more than once are joined with
     * {@code ", "} in order (RFC 9110 section 5.3).
     */
    public Map<String, String> headers() {
        return headers;
    }

    private void parse() throws MalformedHttpException {
        String head = new String(bytes, 0, length - 4, StandardCharsets.ISO_8859_1);
        bytes = null;
        String[] lines = head.split("\r\n", -1);
        if (lines[0].isEmpty()) {
            throw new MalformedHttpException("HTTP head has no start line");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty() || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw new MalformedHttpException("header line " + i + " is empty or folded (obsolete line folding is not accepted)");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new MalformedHttpException("header line " + i + " has no 'name:' part");
            }
            String name = line.substring(0, colon);
            if (!isToken(name)) {
                throw new MalformedHttpException("header name '" + name + "' is not an HTTP token");
            }
            String value = line.substring(colon + 1).strip();
            if (hasControlCharacter(value)) {
                throw new MalformedHttpException("header '" + name + "' holds a control character");
            }
            fields.merge(name.toLowerCase(Locale.ROOT), value, (a, b) -> a + ", " + b);
        }
        if (hasControlCharacter(lines[0])) {
            throw new MalformedHttpException("start line holds a control character");
        }
        headers = Collections.unmodifiableMap(fields);
        startLine = lines[0];
    }

    /** True when the comma-separated {@code value} lists {@code token}, compared ignoring case. */
    public static boolean containsToken(String value, String token) {
        if (value == null) {
            return false;
        }
        for (String part : value.split(",")) {
            if (part.strip().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** True for a character that may appear in an HTTP token (RFC 9110 section 5.6.2). */
    static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static boolean hasControlCharacter(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                return true;
            }
        }
        return false;
    }
}
