package io.guestloop.bench.jmh;

import io.guestloop.GuestContext;
import io.guestloop.bench.GuestHost;
import io.guestloop.websocket.WebSocket;
import io.guestloop.websocket.WebSocketConfig;
import io.guestloop.websocket.WebSocketEndpoint;
import io.guestloop.websocket.WebSocketServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The whole echo path of the guest WebSocket server, through a real loopback socket: the JMH
 * thread writes {@link #MESSAGES} masked client frames in one write and reads their echoes back;
 * the server's one service thread reads, unmasks, validates (text), hands each message to an echo
 * endpoint and writes the echo. Scores are per message. Run it with {@code -prof gc}: the
 * normalised allocation rate is what the whole JVM allocates per message, and the client side
 * (a blocking channel over direct buffers) allocates nothing, so it is the server's.
 *
 * <p><b>Threading:</b> one JMH thread is the client; the server runs on its service thread.
 */
@State(Scope.Thread)
public class EchoBench {

    /** Messages per operation (and in flight at once, as in the load runs). */
    public static final int MESSAGES = 4;
    private static final int MASK_KEY = 0x1B2D3F47;

    @Param({"nio", "netty"})
    public String backend;

    @Param({"64", "16384"})
    public int size;

    @Param({"binary", "text"})
    public String kind;

    private GuestHost host;
    private SocketChannel client;
    private ByteBuffer frames;
    private ByteBuffer echoes;
    private long echoBytes;

    @Setup
    public void start() throws IOException {
        WebSocketServer server = WebSocketServer.builder()
                .endpoint("/echo", new Echo())
                .config(WebSocketConfig.builder().maxFramePayload(1 << 20).maxMessageSize(1 << 20).build())
                .build();
        host = GuestHost.start(backend, GuestContext.builder()
                .writeQueueWaterMarks(1 << 19, 1 << 20)
                .listen(new InetSocketAddress("127.0.0.1", 0), server));
        InetSocketAddress address = (InetSocketAddress) host.context().listeners().get(0).localAddress();
        client = SocketChannel.open(address);
        client.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
        handshake(address);
        boolean text = kind.equals("text");
        int header = size < 126 ? 2 : 4;
        frames = ByteBuffer.allocateDirect(MESSAGES * (header + 4 + size));
        for (int m = 0; m < MESSAGES; m++) {
            frames.put((byte) (0x80 | (text ? 0x1 : 0x2)));
            if (size < 126) {
                frames.put((byte) (0x80 | size));
            } else {
                frames.put((byte) (0x80 | 126)).putShort((short) size);
            }
            frames.putInt(MASK_KEY);
            for (int i = 0; i < size; i++) {
                byte plain = (byte) (text ? 'a' + (i + m) % 26 : i * 31 + m);
                frames.put((byte) (plain ^ (MASK_KEY >>> (24 - 8 * (i & 3)))));
            }
        }
        frames.flip();
        echoBytes = (long) MESSAGES * (header + size);
        echoes = ByteBuffer.allocateDirect(64 * 1024);
    }

    private void handshake(InetSocketAddress address) throws IOException {
        String request = "GET /echo HTTP/1.1\r\nHost: " + address.getHostString() + ":" + address.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
        while (out.hasRemaining()) {
            client.write(out);
        }
        // Read the response head byte by byte, so no frame byte is taken with it.
        ByteBuffer one = ByteBuffer.allocate(1);
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            one.clear();
            if (client.read(one) < 0) {
                throw new EOFException("server closed during the handshake: " + head);
            }
            head.append((char) one.get(0));
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            throw new IOException("handshake refused: " + head);
        }
    }

    @TearDown
    public void stop() throws IOException {
        client.close();
        host.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(MESSAGES)
    public long echo() throws IOException {
        frames.clear();
        while (frames.hasRemaining()) {
            client.write(frames);
        }
        long left = echoBytes;
        while (left > 0) {
            echoes.clear();
            if (echoes.remaining() > left) {
                echoes.limit((int) left);
            }
            int n = client.read(echoes);
            if (n < 0) {
                throw new EOFException("server closed with " + left + " echo bytes missing");
            }
            left -= n;
        }
        return left;
    }

    /** Sends every message back as it came. */
    private static final class Echo implements WebSocketEndpoint {
        @Override
        public void onText(WebSocket socket, String text) {
            socket.sendText(text);
        }

        @Override
        public void onBinary(WebSocket socket, ByteBuffer data) {
            socket.sendBinary(data);
        }
    }
}
