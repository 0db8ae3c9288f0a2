package io.guestloop.websocket;

import io.guestloop.tck.Timeouts;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A hand-driven blocking WebSocket client on a plain java.net.Socket: it sends exactly the bytes a
 * test gives it (broken ones included) and reads the server's frames raw. Reads are bounded by
 * {@link Timeouts#AWAIT}.
 */
final class RawClient implements Closeable {

    static final int KEY = 0x11223344;

    record Frame(boolean fin, int opcode, byte[] payload) {
        int closeCode() {
            return payload.length >= 2 ? (payload[0] & 0xFF) << 8 | (payload[1] & 0xFF) : 1005;
        }

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    /** The first byte of the frame {@link #readFrame()} read last (FIN, RSV bits, opcode). */
    private int lastFirstByte;

    RawClient(InetSocketAddress address) throws IOException {
        this(address, 0);
    }

    /**
     * @param receiveBufferSize the socket's receive buffer in bytes (set before connecting, so the
     *                          TCP window stays small), or 0 for the system's default
     */
    RawClient(InetSocketAddress address, int receiveBufferSize) throws IOException {
        socket = new Socket();
        if (receiveBufferSize > 0) {
            socket.setReceiveBufferSize(receiveBufferSize);
        }
        socket.connect(address, (int) Timeouts.AWAIT.toMillis());
        socket.setSoTimeout((int) Timeouts.AWAIT.toMillis());
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    static String upgradeRequest(String path, String... extraHeaders) {
        StringBuilder sb = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
        boolean versionGiven = false;
        for (String h : extraHeaders) {
            versionGiven |= h.startsWith("Sec-WebSocket-Version");
            sb.append(h).append("\r\n");
        }
        if (!versionGiven) {
            sb.append("Sec-WebSocket-Version: 13\r\n");
        }
        return sb.append("\r\n").toString();
    }

    /** The client's own port, as the server sees it as the remote port. */
    int localPort() {
        return socket.getLocalPort();
    }

    /** Sends an upgrade request and returns the answer's head. */
    String upgrade(String path, String... extraHeaders) throws IOException {
        send(upgradeRequest(path, extraHeaders));
        return readHead();
    }

    void send(String ascii) throws IOException {
        send(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends a masked frame with this first byte. */
    void sendFrame(int firstByte, byte[] payload) throws IOException {
        send(frame(firstByte, true, payload));
    }

    static byte[] frame(int firstByte, boolean masked, byte[] payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(firstByte);
        int maskBit = masked ? 0x80 : 0;
        int n = payload.length;
        if (n < 126) {
            b.write(maskBit | n);
        } else if (n <= 0xFFFF) {
            b.write(maskBit | 126);
            b.write(n >>> 8);
            b.write(n);
        } else {
            b.write(maskBit | 127);
            b.writeBytes(ByteBuffer.allocate(8).putLong(n).array());
        }
        byte[] body = payload.clone();
        if (masked) {
            b.writeBytes(ByteBuffer.allocate(4).putInt(KEY).array());
            for (int i = 0; i < body.length; i++) {
                body[i] ^= (byte) (KEY >>> (24 - 8 * (i & 3)));
            }
        }
        b.writeBytes(body);
        return b.toByteArray();
    }

    static byte[] closePayload(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + r.length).putShort((short) code).put(r).array();
    }

    String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed inside the HTTP head: " + head);
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    Frame readFrame() throws IOException {
        int b0 = in.readUnsignedByte();
        lastFirstByte = b0;
        int b1 = in.readUnsignedByte();
        if ((b1 & 0x80) != 0) {
            throw new IOException("server sent a masked frame");
        }
        long length = b1 & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        return new Frame((b0 & 0x80) != 0, b0 & 0x0F, payload);
    }

    /** The first byte of the last frame read, RSV bits included. */
    int lastFirstByte() {
        return lastFirstByte;
    }

    /** Reads frames up to the next close frame, skipping pings, and returns it. */
    Frame readClose() throws IOException {
        Frame f;
        do {
            f = readFrame();
        } while (f.opcode() != 0x8);
        return f;
    }

    /** True when the server has closed the connection (EOF or reset, after any bytes still sent). */
    boolean readsEndOfStream() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketException e) {
            return true;
        }
    }

    byte[] readToEnd() throws IOException {
        try {
            return in.readAllBytes();
        } catch (SocketException e) {
            return new byte[0];
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
