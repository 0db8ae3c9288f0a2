package io.guestloop.internal.tls;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads the server name (SNI, RFC 6066) a client asks for from the first record of its TLS
 * ClientHello, without consuming it, so that a server can choose the engine before the handshake
 * begins. Anything that is not a well-formed ClientHello (garbage, plaintext HTTP) yields no name:
 * the default engine then fails the handshake with its own message.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
final class ClientHelloSni {

    /** The largest TLS record body (2^14 plus the most ciphertext expansion RFC 8446 allows). */
    static final int MAX_RECORD = 16384 + 256;
    private static final int HANDSHAKE = 22;
    private static final int CLIENT_HELLO = 1;
    private static final int SERVER_NAME = 0;
    private static final int HOST_NAME = 0;

    /** What {@link #read} found. */
    record Result(boolean complete, String hostName) {
        static final Result MORE = new Result(false, null);
        static final Result NONE = new Result(true, null);
    }

    private ClientHelloSni() {
    }

    /**
     * Looks at the bytes from {@code in}'s position to its limit: {@link Result#MORE} while the first
     * record is not complete, else the host name asked for, or none.
     */
    static Result read(ByteBuffer in) {
        int p = in.position();
        int available = in.remaining();
        if (available < 5) {
            return available > 0 && u8(in, p) != HANDSHAKE ? Result.NONE : Result.MORE;
        }
        int recordLength = u16(in, p + 3);
        if (u8(in, p) != HANDSHAKE || recordLength > MAX_RECORD) {
            return Result.NONE;
        }
        if (available < 5 + recordLength) {
            return Result.MORE;
        }
        int end = p + 5 + recordLength;
        if (recordLength < 4 || u8(in, p + 5) != CLIENT_HELLO) {
            return Result.NONE;
        }
        end = Math.min(end, p + 9 + u24(in, p + 6));
        return new Result(true, hostName(in, p + 9, end));
    }

    /** The host name in the ClientHello body {@code [b, end)}, or null. */
    private static String hostName(ByteBuffer in, int b, int end) {
        b += 2 + 32; // client_version, random
        if (b + 1 > end) {
            return null;
        }
        b += 1 + u8(in, b); // session id
        if (b + 2 > end) {
            return null;
        }
        b += 2 + u16(in, b); // cipher suites
        if (b + 1 > end) {
            return null;
        }
        b += 1 + u8(in, b); // compression methods
        if (b + 2 > end) {
            return null;
        }
        int extensionsEnd = Math.min(end, b + 2 + u16(in, b));
        b += 2;
        while (b + 4 <= extensionsEnd) {
            int type = u16(in, b);
            int length = u16(in, b + 2);
            int body = b + 4;
            if (body + length > extensionsEnd) {
                return null;
            }
            if (type == SERVER_NAME) {
                return serverName(in, body, body + length);
            }
            b = body + length;
        }
        return null;
    }

    private static String serverName(ByteBuffer in, int b, int end) {
        if (b + 2 > end) {
            return null;
        }
        int listEnd = Math.min(end, b + 2 + u16(in, b));
        b += 2;
        while (b + 3 <= listEnd) {
            int type = u8(in, b);
            int length = u16(in, b + 1);
            int name = b + 3;
            if (name + length > listEnd) {
                return null;
            }
            if (type == HOST_NAME && length > 0) {
                byte[] bytes = new byte[length];
                in.get(name, bytes);
                return new String(bytes, StandardCharsets.US_ASCII);
            }
            b = name + length;
        }
        return null;
    }

    private static int u8(ByteBuffer in, int i) {
        return in.get(i) & 0xff;
    }

    private static int u16(ByteBuffer in, int i) {
        return (u8(in, i) << 8) | u8(in, i + 1);
    }

    private static int u24(ByteBuffer in, int i) {
        return (u8(in, i) << 16) | u16(in, i + 1);
    }
}
