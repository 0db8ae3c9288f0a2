package io.guestloop.websocket.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The few HTTP/1.1 responses the server sends: the 101 that completes an upgrade, a static page,
 * and the error answers (400, 403, 404, 405, 426) after which it closes.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
public final class HttpResponses {

    private HttpResponses() {
    }

    /** {@code 101 Switching Protocols} with the accept key and, when not null, the subprotocol. */
    public static ByteBuffer switchingProtocols(String accept, String subprotocol) {
        return switchingProtocols(accept, subprotocol, null);
    }

    /** As {@link #switchingProtocols(String, String)} with, when not null, the extensions accepted. */
    public static ByteBuffer switchingProtocols(String accept, String subprotocol, String extensions) {
        StringBuilder sb = new StringBuilder(160)
                .append("HTTP/1.1 101 Switching Protocols\r\n")
                .append("Upgrade: websocket\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Sec-WebSocket-Accept: ").append(accept).append("\r\n");
        if (subprotocol != null) {
            sb.append("Sec-WebSocket-Protocol: ").append(subprotocol).append("\r\n");
        }
        if (extensions != null) {
            sb.append("Sec-WebSocket-Extensions: ").append(extensions).append("\r\n");
        }
        return ascii(sb.append("\r\n"));
    }

    /**
     * {@code 200 OK} with a body and {@code Connection: close}.
     *
     * @param withBody false for a HEAD request: the same head, no body
     */
    public static ByteBuffer ok(String contentType, byte[] body, boolean withBody) {
        String head = "HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\nContent-Length: " + body.length
                + "\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n";
        ByteBuffer out = ByteBuffer.allocate(head.length() + (withBody ? body.length : 0));
        out.put(head.getBytes(StandardCharsets.ISO_8859_1));
        if (withBody) {
            out.put(body);
        }
        return out.flip();
    }

    /**
     * An error answer with a plain-text body and {@code Connection: close}.
     *
     * @param extraHeaders complete header lines without CRLF, such as
     *                     {@code "Sec-WebSocket-Version: 13"}
     */
    public static ByteBuffer error(int status, String message, String... extraHeaders) {
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(128)
                .append("HTTP/1.1 ").append(status).append(' ').append(reasonPhrase(status)).append("\r\n")
                .append("Content-Type: text/plain; charset=utf-8\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n")
                .append("Connection: close\r\n");
        for (String header : extraHeaders) {
            sb.append(header).append("\r\n");
        }
        sb.append("\r\n");
        ByteBuffer out = ByteBuffer.allocate(sb.length() + body.length);
        out.put(sb.toString().getBytes(StandardCharsets.ISO_8859_1)).put(body);
        return out.flip();
    }

    static String reasonPhrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 426 -> "Upgrade Required";
            case 500 -> "Internal Server Error";
            default -> "Error";
        };
    }

    private static ByteBuffer ascii(CharSequence s) {
        return ByteBuffer.wrap(s.toString().getBytes(StandardCharsets.ISO_8859_1));
    }
}
