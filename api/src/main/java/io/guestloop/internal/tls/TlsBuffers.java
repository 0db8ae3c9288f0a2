package io.guestloop.internal.tls;

import java.nio.ByteBuffer;

import javax.net.ssl.SSLEngine;

/**
 * The network buffers every TLS connection of one service thread shares: ciphertext read from a
 * socket, ciphertext about to be written (a heap pair for the JDK's engine and a direct pair for
 * others, each made only when a connection with such an engine first needs it), and plaintext a
 * handshake unwraps. A connection borrows
 * them for the length of one read, write or handshake step and keeps only what is left over (a
 * partial record, ciphertext the socket did not take), copied into a buffer of exactly that size, so
 * an idle TLS connection holds no network buffer at all. It also holds the thread's
 * {@link TaskTimes}, which decide where delegated tasks run.
 *
 * <p><b>Threading:</b> not thread-safe; the service thread that owns it only.
 */
public final class TlsBuffers {

    /** At least this much: several records per socket read or write, as a plaintext connection does. */
    private static final int MIN_SIZE = 64 * 1024;

    /** Ciphertext buffers for the JDK's engine, which works on arrays: heap. */
    private final NetworkBuffers heap = new NetworkBuffers(false);
    /** Ciphertext buffers for other engines (OpenSSL through Netty, Conscrypt), which work on native memory: direct. */
    private final NetworkBuffers direct = new NetworkBuffers(true);
    private ByteBuffer plain;
    private final ByteBuffer[] one = new ByteBuffer[1];
    private final TaskTimes taskTimes = new TaskTimes();

    /** How long this thread's delegated tasks took lately, per engine kind. */
    TaskTimes taskTimes() {
        return taskTimes;
    }

    /** The ciphertext buffers before an engine is made (a server reading the ClientHello for its SNI name). */
    NetworkBuffers network() {
        return heap;
    }

    /**
     * The ciphertext buffers that suit {@code engine}: heap ones for the JDK's own engine, which
     * encrypts from and to arrays (a direct buffer would cost it a copy each way), direct ones for
     * any other, as Netty's OpenSSL engine copies heap buffers to native memory and back on every
     * record, and a socket reads into a direct buffer without the JDK's temporary copy.
     */
    NetworkBuffers network(SSLEngine engine) {
        return engine.getClass().getName().startsWith("sun.security.ssl.") ? heap : direct;
    }

    /**
     * One kind (heap or direct) of the thread's shared ciphertext buffers: one for reading from a
     * socket, one for writing to it, each made on first use.
     */
    static final class NetworkBuffers {
        private final boolean direct;
        private ByteBuffer netIn;
        private ByteBuffer netOut;

        private NetworkBuffers(boolean direct) {
            this.direct = direct;
        }

        /** The shared buffer for ciphertext read from a socket, cleared, holding at least {@code packetSize} bytes. */
        ByteBuffer netIn(int packetSize) {
            ByteBuffer b = netIn;
            if (b == null || b.capacity() < packetSize) {
                b = netIn = allocate(Math.max(MIN_SIZE, 2 * packetSize));
            }
            return b.clear();
        }

        /** The shared buffer for ciphertext to write, cleared, holding at least {@code packetSize} bytes. */
        ByteBuffer netOut(int packetSize) {
            ByteBuffer b = netOut;
            if (b == null || b.capacity() < packetSize) {
                b = netOut = allocate(Math.max(MIN_SIZE, 2 * packetSize));
            }
            return b.clear();
        }

        private ByteBuffer allocate(int size) {
            return direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
        }
    }

    /**
     * A buffer for plaintext of at least {@code appSize} bytes: {@code readBuffer} (the thread's
     * shared read buffer) when it is large enough for one record, else a shared one of this class.
     */
    public ByteBuffer plaintext(ByteBuffer readBuffer, int appSize) {
        return readBuffer.capacity() >= appSize ? readBuffer : scratch(appSize);
    }

    /** The shared buffer for plaintext a handshake step unwraps, cleared, holding at least {@code appSize} bytes. */
    ByteBuffer scratch(int appSize) {
        ByteBuffer b = plain;
        if (b == null || b.capacity() < appSize) {
            b = plain = ByteBuffer.allocate(appSize);
        }
        return b.clear();
    }

    /**
     * {@code data} as a one-element array, reused by every call on this thread (a single-buffer
     * write allocates nothing). A gathering write is done with it before anything else can ask.
     */
    ByteBuffer[] one(ByteBuffer data) {
        one[0] = data;
        return one;
    }

    /** A copy of what remains of {@code b}, in a buffer of exactly that size; null when nothing remains. */
    static ByteBuffer leftover(ByteBuffer b) {
        if (!b.hasRemaining()) {
            return null;
        }
        ByteBuffer copy = ByteBuffer.allocate(b.remaining());
        copy.put(b).flip();
        return copy;
    }
}
