package io.guestloop.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The ceiling: a single-threaded {@link Selector} loop that writes back every byte it reads, with
 * no framing, no handshake and no per-message work at all. What the machine's loopback, the JDK's
 * NIO and one load generator can do; no WebSocket server can be faster. It knows no frames, so text
 * comes back as the same bytes, never checked as UTF-8 (the text cells' raw NIO row validates nothing).
 *
 * <p><b>Threading:</b> see {@link EchoServer}; everything but start and close runs on its thread.
 */
final class RawNioEchoServer implements EchoServer {

    private static final int BUFFER = 64 * 1024;

    private final Selector selector;
    private final ServerSocketChannel server;
    private final Thread thread = new Thread(this::run, "raw-nio-echo");
    private final ByteBuffer shared = ByteBuffer.allocateDirect(BUFFER);
    private final EchoCount echoed = new EchoCount();
    private volatile boolean closing;

    RawNioEchoServer() {
        try {
            selector = Selector.open();
            server = ServerSocketChannel.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector or a server socket", e);
        }
    }

    @Override
    public int start() throws IOException {
        server.bind(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        thread.start();
        return ((InetSocketAddress) server.getLocalAddress()).getPort();
    }

    @Override
    public Thread loopThread() {
        return thread;
    }

    @Override
    public boolean websocket() {
        return false;
    }

    /** Bytes echoed so far (taken from a read, whether the socket took them at once or later). */
    @Override
    public long echoed() {
        return echoed.get();
    }

    @Override
    public void close() {
        closing = true;
        selector.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            while (!closing) {
                selector.select(this::ready);
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!closing) {
                throw new UncheckedIOException("the raw echo loop failed", e instanceof IOException io ? io : new IOException(e));
            }
        } finally {
            for (SelectionKey key : selector.keys()) {
                closeQuietly(key);
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private void ready(SelectionKey key) {
        try {
            if (key.isAcceptable()) {
                SocketChannel ch = server.accept();
                if (ch != null) {
                    ch.configureBlocking(false);
                    ch.register(selector, SelectionKey.OP_READ);
                }
            } else if (key.isWritable()) {
                flush(key);
            } else if (key.isReadable()) {
                read(key);
            }
        } catch (IOException e) {
            closeQuietly(key);
        }
    }

    /** Reads into the shared buffer and writes it straight back; keeps only what the socket refused. */
    private void read(SelectionKey key) throws IOException {
        SocketChannel ch = (SocketChannel) key.channel();
        shared.clear();
        int n = ch.read(shared);
        if (n < 0) {
            closeQuietly(key);
            return;
        }
        shared.flip();
        echoed.add(n); // taken now: what the socket refuses is kept and sent later
        ch.write(shared);
        if (shared.hasRemaining()) {
            ByteBuffer pending = ByteBuffer.allocate(shared.remaining());
            pending.put(shared).flip();
            key.attach(pending);
            key.interestOps(SelectionKey.OP_WRITE);   // stop reading until the echo is out
        }
    }

    private void flush(SelectionKey key) throws IOException {
        ByteBuffer pending = (ByteBuffer) key.attachment();
        ((SocketChannel) key.channel()).write(pending);
        if (!pending.hasRemaining()) {
            key.attach(null);
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    private static void closeQuietly(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // nothing to do about a socket that fails to close
        }
    }
}
