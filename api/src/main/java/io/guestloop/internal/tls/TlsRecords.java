package io.guestloop.internal.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;

import javax.net.ssl.SSLEngine;

/**
 * One TLS connection's record I/O on its socket: ciphertext read into the thread's shared buffer
 * (with what was left over before it), ciphertext written from it, and the leftovers of both kept
 * in buffers of exactly their size, so that an idle connection holds none.
 *
 * <p><b>Threading:</b> the owning connection's service thread only.
 */
final class TlsRecords {

    private final ByteChannel socket;
    private final TlsBuffers buffers;
    private final TlsTransport.Owner owner;
    /** The thread's ciphertext buffers of the kind the engine wants; heap until the engine is made. */
    private TlsBuffers.NetworkBuffers network;

    /** Ciphertext read and not yet unwrapped (a partial record, or records the caller had no room for). */
    private ByteBuffer inLeft;
    /** Ciphertext wrapped and not yet taken by the socket. */
    private ByteBuffer outLeft;
    /** The last socket read reported the end of the stream. */
    private boolean streamEnded;

    TlsRecords(ByteChannel socket, TlsBuffers buffers, TlsTransport.Owner owner) {
        this.socket = socket;
        this.buffers = buffers;
        this.owner = owner;
        this.network = buffers.network();
    }

    /** The engine is made: from now on use the shared ciphertext buffers of the kind it works best on. */
    void engineMade(SSLEngine engine) {
        network = buffers.network(engine);
    }

    /**
     * The thread's shared buffer holding what was left over, then what the socket had, flipped;
     * {@link #streamEnded()} says whether the socket reported the end of the stream. The caller
     * hands what it did not consume back with {@link #keep}.
     */
    ByteBuffer read(int packetSize) throws IOException {
        ByteBuffer net = network.netIn(packetSize);
        if (inLeft != null) {
            net.put(inLeft);
            inLeft = null;
        }
        streamEnded = net.hasRemaining() && socket.read(net) < 0;
        return net.flip();
    }

    /** Keeps what remains of {@code net} (from {@link #read}) for the next read. */
    void keep(ByteBuffer net) {
        inLeft = TlsBuffers.leftover(net);
    }

    /** True when the last socket read reported the end of the stream. */
    boolean streamEnded() {
        return streamEnded;
    }

    /** True when a whole record waits unread, which no readiness event will announce. */
    boolean hasWholeRecord() {
        ByteBuffer b = inLeft;
        if (b == null || b.remaining() < 5) {
            return false;
        }
        int length = ((b.get(b.position() + 3) & 0xff) << 8) | (b.get(b.position() + 4) & 0xff);
        return b.remaining() >= 5 + length;
    }

    /** Lets go of ciphertext read and not unwrapped: nothing after it is ours to read. */
    void dropInput() {
        inLeft = null;
    }

    /** The thread's shared buffer for ciphertext to write, cleared. */
    ByteBuffer out(int packetSize) {
        return network.netOut(packetSize);
    }

    /** The thread's shared buffer for plaintext a handshake step unwraps, cleared. */
    ByteBuffer scratch(int appSize) {
        return buffers.scratch(appSize);
    }

    /** {@code data} as the thread's reused one-element array. */
    ByteBuffer[] one(ByteBuffer data) {
        return buffers.one(data);
    }

    /** Writes {@code net}; what the socket does not take waits here until {@link #flush}. */
    void send(ByteBuffer net) throws IOException {
        while (net.hasRemaining() && socket.write(net) > 0) {
            // keep writing while the socket takes bytes
        }
        if (net.hasRemaining()) {
            outLeft = TlsBuffers.leftover(net);
            owner.interestChanged();
        }
    }

    /** Writes ciphertext that waits; true when none is left. */
    boolean flush() throws IOException {
        ByteBuffer left = outLeft;
        if (left == null) {
            return true;
        }
        while (left.hasRemaining() && socket.write(left) > 0) {
            // keep writing while the socket takes bytes
        }
        if (left.hasRemaining()) {
            return false;
        }
        outLeft = null;
        return true;
    }

    /** True while ciphertext waits for the socket to become writable. */
    boolean outputWaits() {
        return outLeft != null;
    }

    /** Ciphertext bytes waiting for the socket (at most one write's worth). */
    int pendingBytes() {
        return outLeft == null ? 0 : outLeft.remaining();
    }

    /** Lets go of every leftover: the connection closes. */
    void release() {
        inLeft = null;
        outLeft = null;
    }

    boolean isOpen() {
        return socket.isOpen();
    }

    void close() throws IOException {
        socket.close();
    }
}
