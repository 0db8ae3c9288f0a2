package io.guestloop.internal;

import io.guestloop.ConnectionHandler;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * The reading half of a {@link CoreConnection}: on a readiness event, a few reads into the thread's
 * shared buffer, each handed to {@code onData}, with the thread's {@link WriteCork} held open around
 * them so that what the handler writes back leaves in as few writes as possible.
 *
 * <p>The connection keeps the state (open, paused); this class reads only while it says so.
 *
 * <p><b>Threading:</b> the connection's service thread only.
 */
final class ConnectionInput {

    /** Reads per readiness event while each fills the buffer: fairness between connections. */
    private static final int MAX_READS_PER_EVENT = 4;

    private final CoreConnection connection;
    private final ReadableByteChannel in;
    private final ConnectionHandler handler;
    private final CoreServiceThread thread;
    /** The output whose writes the cork collects, or null when writes are never corked (datagrams, read-only channels). */
    private final ConnectionOutput corked;
    /** The TLS side, or null for plaintext. */
    private final ConnectionTls tls;

    ConnectionInput(CoreConnection connection, ReadableByteChannel in, ConnectionHandler handler, ConnectionOutput corked,
                    ConnectionTls tls) {
        this.connection = connection;
        this.in = in;
        this.handler = handler;
        this.thread = connection.thread;
        this.corked = corked;
        this.tls = tls;
    }

    /** The channel is readable (or the TLS layer holds whole records): read a batch. */
    void readable() {
        WriteCork cork = thread.cork;
        if (corked != null) {
            cork.open(connection);
        }
        try {
            readBatch();
        } finally {
            if (cork.isOwner(connection)) {
                cork.close();
                if (connection.isClosed()) {
                    cork.reset();
                } else {
                    corked.releaseCork();
                }
            }
        }
        if (tls != null && tls.transport.hasBufferedRecord() && connection.readsNow()) {
            thread.post(tls::readBuffered); // the batch ended with whole records still here: read them after the others' turn
        }
    }

    /**
     * Hands {@code buf} to the handler. On plaintext, what the handler writes back of {@code buf}
     * itself may stay in the cork as a reference ({@link WriteCork#input}); the cork is then released
     * here, before the next read reuses the buffer. False when the connection failed.
     */
    private boolean handle(ByteBuffer buf) {
        WriteCork cork = thread.cork;
        boolean referable = tls == null && cork.isOwner(connection);
        if (referable) {
            cork.input(buf);
        }
        try {
            handler.onData(connection, buf);
        } catch (Throwable t) {
            connection.guestFailed(t);
            return false;
        } finally {
            if (referable) {
                cork.input(null);
            }
        }
        // Still the owner: only readable() sets and clears it, and nothing onData may call reads
        // another connection there and then (readiness comes from the loop, hand-overs are posted).
        return !referable || !cork.holdsInput() || corked.releaseCork();
    }

    private void readBatch() {
        ByteBuffer buf = tls != null
                ? thread.tlsBuffers().plaintext(thread.readBuffer(), tls.transport.applicationBufferSize())
                : thread.readBuffer();
        for (int i = 0; i < MAX_READS_PER_EVENT && connection.readsNow(); i++) {
            buf.clear();
            int n;
            try {
                n = in.read(buf);
            } catch (IOException e) {
                connection.ioFailed(e);
                return;
            }
            if (n < 0) {
                connection.closeAfterFlushInternal();
                return;
            }
            if (n == 0) {
                return;
            }
            buf.flip();
            if (!handle(buf)) {
                return;
            }
            if (n < buf.capacity()) {
                return; // the socket is most likely drained; level-triggered readiness covers the rest
            }
        }
    }
}
