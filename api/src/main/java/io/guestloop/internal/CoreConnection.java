package io.guestloop.internal;

import io.guestloop.Connection;
import io.guestloop.ConnectionHandler;
import io.guestloop.ServiceThread;
import io.guestloop.internal.tls.TlsTransport;
import io.guestloop.spi.ReadyListener;
import io.guestloop.tls.TlsConfig;
import io.guestloop.tls.TlsInfo;
import io.guestloop.spi.Registration;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Optional;

/**
 * A guest connection: non-blocking reads into its thread's shared buffer, writes that queue what the
 * socket does not take, and the readiness interest that follows from its state. A TLS connection
 * reads and writes through its {@link TlsTransport} instead of the socket, and opens once the
 * handshake it drives first has completed.
 *
 * <p><b>Threading:</b> loop thread of {@link #thread} only; public methods check it.
 */
final class CoreConnection implements Connection, ReadyListener {

    /**
     * A connection's life cycle, in this order: waiting to open (connecting, or accepted or adopted and
     * not yet told to the handler), open, flushing what is queued before it closes, closed.
     */
    private enum State {
        PENDING, OPEN, CLOSING, CLOSED;

        /** Not yet closing: takes writes and close requests. */
        boolean live() {
            return this == PENDING || this == OPEN;
        }
    }

    /** Reads per readiness event while each fills the buffer: fairness between connections. */
    private static final int MAX_READS_PER_EVENT = 4;
    /** The most one {@link #write(ByteBuffer...)} may take: what it queues must fit in one buffer. */
    private static final long MAX_UNIT = Integer.MAX_VALUE - 8;

    final CoreServiceThread thread;
    private final SelectableChannel channel;
    private final ReadableByteChannel in;
    /** The TLS layer between socket and handler, or null for plaintext. */
    private final TlsTransport tls;
    /** The TLS handshake runs, while PENDING (or CLOSING): events go to it, not to the handler. */
    private boolean handshaking;
    private GuestTimer handshakeTimer;
    private final ConnectionHandler handler;
    /** Writes to a datagram channel must stay one datagram each: they are never corked together. */
    private final boolean corkable;
    Registration registration;
    /** Neighbours in the thread's list of live connections. */
    CoreConnection prev;
    CoreConnection next;

    private State state = State.PENDING;
    private int interest;
    /** Waiting for OP_CONNECT, while PENDING (or CLOSING, when closeAfterFlush came first). */
    private boolean connecting;
    private boolean readPaused;
    private boolean writeRequested;
    /** Null for a channel that cannot be written. */
    private final ConnectionOutput output;
    private Object attachment;
    private GuestTimer connectTimer;

    CoreConnection(CoreServiceThread thread, SelectableChannel channel, ConnectionHandler handler) {
        this(thread, channel, handler, null, null);
    }

    /** A connection with TLS ({@code tlsConfig} not null) to or from {@code peer}; the channel must then be a byte channel. */
    CoreConnection(CoreServiceThread thread, SelectableChannel channel, ConnectionHandler handler, TlsConfig tlsConfig,
                   SocketAddress peer) {
        this.thread = thread;
        this.channel = channel;
        this.handler = handler;
        this.corkable = !(channel instanceof java.nio.channels.DatagramChannel);
        this.tls = tlsConfig == null ? null : new TlsTransport(tlsConfig, (ByteChannel) channel, peer, thread.tlsBuffers(), new TlsOwner());
        this.in = tls != null ? tls : channel instanceof ReadableByteChannel r ? r : null;
        WritableByteChannel out = tls != null ? tls : channel instanceof WritableByteChannel w ? w : null;
        this.output = out != null ? new ConnectionOutput(this, out, thread.cork, thread.context.spec) : null;
    }

    ConnectionHandler handler() {
        return handler;
    }

    /** Waits for OP_CONNECT, failing with a timeout exception after {@code timeoutNanos}. */
    void awaitConnect(SocketAddress address, long timeoutNanos) {
        connecting = true;
        updateInterest();
        connectTimer = thread.scheduleInternal(timeoutNanos, () -> ioFailed(new java.net.SocketTimeoutException(
                "connect to " + address + " timed out after " + java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms")));
    }

    /** The connection is established: start reading and tell the handler. */
    void open() {
        if (state == State.CLOSED) {
            return;
        }
        if (tls != null && !tls.isEstablished()) {
            startHandshake();
            return;
        }
        if (state == State.PENDING) {
            state = State.OPEN;
            updateInterest();
            try {
                handler.onOpen(this);
            } catch (Throwable t) {
                guestFailed(t);
            }
        } else {
            updateInterest(); // closeAfterFlush() came first: flush what was queued
        }
    }

    @Override
    public void onReady(int readyOps) {
        if ((readyOps & SelectionKey.OP_CONNECT) != 0) {
            finishConnect();
        } else if (handshaking) {
            advanceHandshake();
        }
        if (handshaking) {
            return;
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0 && (state == State.OPEN || state == State.CLOSING)) {
            writable();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0 && state == State.OPEN) {
            readable();
        }
    }

    private void finishConnect() {
        try {
            if (!((SocketChannel) channel).finishConnect()) {
                return;
            }
        } catch (IOException e) {
            ConnectException ce = new ConnectException(e.getMessage());
            ce.initCause(e);
            ioFailed(ce);
            return;
        }
        connecting = false;
        if (connectTimer != null) {
            thread.cancelTimer(connectTimer);
            connectTimer = null;
        }
        open();
    }

    // ---- TLS --------------------------------------------------------------------------------

    /** The connection is established: the TLS handshake begins, bounded by its timeout. */
    private void startHandshake() {
        if (handshaking) {
            return;
        }
        handshaking = true;
        handshakeTimer = thread.scheduleInternal(tls.handshakeTimeoutNanos(), () -> {
            handshakeTimer = null;
            ioFailed(tls.timedOut());
        });
        advanceHandshake();
    }

    private void advanceHandshake() {
        boolean done;
        try {
            done = tls.advance();
        } catch (IOException e) {
            ioFailed(e);
            return;
        }
        if (state == State.CLOSED) {
            return;
        }
        if (!done) {
            updateInterest();
            return;
        }
        handshaking = false;
        if (handshakeTimer != null) {
            thread.cancelTimer(handshakeTimer);
            handshakeTimer = null;
        }
        open();
        readBuffered();
    }

    /** Reads records the TLS layer holds already: no readiness event will announce them. */
    private void readBuffered() {
        if (state == State.OPEN && !readPaused && tls.hasBufferedRecord()) {
            readable();
        }
    }

    /** What the TLS layer asks of its connection. */
    private final class TlsOwner implements TlsTransport.Owner {
        @Override
        public void interestChanged() {
            updateInterest();
        }

        @Override
        public void tasksDone(Throwable failure) {
            if (state == State.CLOSED) {
                return;
            }
            if (failure != null) {
                javax.net.ssl.SSLException e = handshaking
                        ? new javax.net.ssl.SSLHandshakeException("a TLS delegated task failed: " + failure)
                        : new javax.net.ssl.SSLException("a TLS delegated task failed: " + failure);
                e.initCause(failure);
                ioFailed(e);
            } else if (handshaking) {
                advanceHandshake();
            } else {
                updateInterest();
                readBuffered();
            }
        }

        @Override
        public void post(Runnable task) {
            thread.post(task);
        }
    }

    /** Sends TLS close_notify after what waits: true when it has left (or there is no TLS); false to wait for WRITE. */
    private boolean closeTls() {
        if (tls == null) {
            return true;
        }
        try {
            return tls.closeOutbound();
        } catch (IOException e) {
            ioFailed(e);
            return false;
        }
    }

    @Override
    public Optional<TlsInfo> tls() {
        thread.checkInLoop("Connection.tls");
        return tls == null ? Optional.empty() : Optional.ofNullable(tls.info());
    }

    // ---- reading ----------------------------------------------------------------------------

    private void readable() {
        WriteCork cork = thread.cork;
        if (corkable && output != null) {
            cork.open(this);
        }
        try {
            readBatch();
        } finally {
            if (cork.isOwner(this)) {
                cork.close();
                if (state == State.CLOSED) {
                    cork.reset();
                } else {
                    output.releaseCork();
                }
            }
        }
        if (tls != null && tls.hasBufferedRecord() && state == State.OPEN && !readPaused) {
            thread.post(this::readBuffered); // the batch ended with whole records still here: read them after the others' turn
        }
    }

    private void readBatch() {
        ByteBuffer buf = tls != null ? thread.tlsBuffers().plaintext(thread.readBuffer(), tls.applicationBufferSize()) : thread.readBuffer();
        for (int i = 0; i < MAX_READS_PER_EVENT && state == State.OPEN && !readPaused; i++) {
            buf.clear();
            int n;
            try {
                n = in.read(buf);
            } catch (IOException e) {
                ioFailed(e);
                return;
            }
            if (n < 0) {
                closeAfterFlushInternal();
                return;
            }
            if (n == 0) {
                return;
            }
            buf.flip();
            try {
                handler.onData(this, buf);
            } catch (Throwable t) {
                guestFailed(t);
                return;
            }
            if (n < buf.capacity()) {
                return; // the socket is most likely drained; level-triggered readiness covers the rest
            }
        }
    }

    private void writable() {
        if (tls != null && !flushTls()) {
            return;
        }
        if (output.queuedBytes() > 0 && (!output.flush() || output.queuedBytes() > 0)) {
            return;
        }
        if (state == State.CLOSING) {
            if (closeTls()) {
                closeWith(null);
            }
            return;
        }
        if (writeRequested) {
            writeRequested = false;
            updateInterest();
            try {
                handler.onWritable(this);
            } catch (Throwable t) {
                guestFailed(t);
            }
        } else {
            updateInterest();
        }
    }

    /** Writes the ciphertext the TLS layer holds; false while some waits or when the socket failed. */
    private boolean flushTls() {
        try {
            if (tls.flush()) {
                return true;
            }
        } catch (IOException e) {
            ioFailed(e);
        }
        return false;
    }

    @Override
    public boolean write(ByteBuffer data) {
        thread.checkInLoop("Connection.write");
        ByteBuffer[] one = thread.cork.one(data);
        try {
            return send(one, data.remaining());
        } finally {
            one[0] = null; // the buffer is the caller's again
        }
    }

    @Override
    public boolean write(ByteBuffer... data) {
        thread.checkInLoop("Connection.write");
        long total = 0;
        for (ByteBuffer b : data) {
            total += b.remaining(); // a null buffer fails here, before anything is taken
        }
        if (total > MAX_UNIT) {
            throw new IllegalArgumentException("cannot write " + total + " bytes as one unit: at most " + MAX_UNIT
                    + " bytes may be written in one call; split the write");
        }
        return send(data, total);
    }

    private boolean send(ByteBuffer[] data, long total) {
        if (output == null) {
            throw new UnsupportedOperationException("cannot write to " + channel + ": it is not a WritableByteChannel");
        }
        if (!state.live() || output.isFull()) {
            return false;
        }
        if (total == 0) {
            return true;
        }
        return output.send(data, data.length, total, state == State.OPEN);
    }

    /** Tells the handler that the queue crossed a water mark; false when the handler failed (the connection is then closed). */
    boolean writabilityChanged(boolean writable) {
        try {
            handler.onWritabilityChanged(this, writable);
            return state != State.CLOSED;
        } catch (Throwable t) {
            guestFailed(t);
            return false;
        }
    }

    @Override
    public boolean isWritable() {
        thread.checkInLoop("Connection.isWritable");
        return state.live() && output != null && !output.isFull();
    }

    @Override
    public long queuedBytes() {
        thread.checkInLoop("Connection.queuedBytes");
        return output == null ? 0 : output.queuedBytes();
    }

    @Override
    public void requestWritable() {
        thread.checkInLoop("Connection.requestWritable");
        if (state.live() && output != null && !writeRequested) {
            writeRequested = true;
            updateInterest();
        }
    }

    @Override
    public void pauseReading() {
        thread.checkInLoop("Connection.pauseReading");
        if (!readPaused) {
            readPaused = true;
            updateInterest();
        }
    }

    @Override
    public void resumeReading() {
        thread.checkInLoop("Connection.resumeReading");
        if (readPaused) {
            readPaused = false;
            updateInterest();
            if (tls != null && tls.hasBufferedRecord()) {
                thread.post(this::readBuffered); // not from inside the caller's callback
            }
        }
    }

    @Override
    public boolean isReadingPaused() {
        thread.checkInLoop("Connection.isReadingPaused");
        return readPaused;
    }

    @Override
    public void close() {
        thread.checkInLoop("Connection.close");
        closeWith(null);
    }

    @Override
    public void closeAfterFlush() {
        thread.checkInLoop("Connection.closeAfterFlush");
        closeAfterFlushInternal();
    }

    private void closeAfterFlushInternal() {
        if (!state.live()) {
            return;
        }
        if (thread.cork.isOwner(this) && (!output.releaseCork() || state == State.CLOSED)) {
            return;
        }
        if ((output == null || output.queuedBytes() == 0) && !connecting) {
            if (closeTls()) {
                closeWith(null);
                return;
            }
            if (state == State.CLOSED) {
                return; // sending close_notify failed
            }
        }
        state = State.CLOSING;
        updateInterest();
    }

    /** The context shuts down politely: the handler finishes and closes (by default after a flush). */
    void shutdown() {
        if (!state.live()) {
            return;
        }
        try {
            handler.onShutdown(this);
        } catch (Throwable t) {
            guestFailed(t);
        }
    }

    @Override
    public boolean isOpen() {
        thread.checkInLoop("Connection.isOpen");
        return state.live();
    }

    /** An exception thrown by guest code: reported to the error handler, then the connection closes. */
    void guestFailed(Throwable t) {
        thread.reportError(this, t);
        closeWith(t);
    }

    /** An I/O failure: the connection closes with it as the cause. */
    void ioFailed(IOException e) {
        closeWith(e);
    }

    /** Releases everything and calls {@code onClosed} once. */
    void closeWith(Throwable cause) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        if (connectTimer != null) {
            thread.cancelTimer(connectTimer);
            connectTimer = null;
        }
        if (handshakeTimer != null) {
            thread.cancelTimer(handshakeTimer);
            handshakeTimer = null;
        }
        if (registration != null) {
            registration.cancel();
        }
        if (output != null) {
            output.closing();
        }
        if (tls != null) {
            tls.closeQuietly();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to release; the cause that matters is the one already in hand
        }
        thread.connectionClosed(this);
        try {
            handler.onClosed(this, cause);
        } catch (Throwable t) {
            thread.reportError(this, t);
        }
    }

    void updateInterest() {
        if (state == State.CLOSED || registration == null) {
            return;
        }
        int ops;
        if (connecting) {
            ops = SelectionKey.OP_CONNECT;
        } else if (handshaking) {
            ops = tls.handshakeInterest();
        } else {
            ops = 0;
            if (in != null && state == State.OPEN && !readPaused) {
                ops |= SelectionKey.OP_READ;
            }
            if (output != null && state != State.PENDING && (output.queuedBytes() > 0 || writeRequested || state == State.CLOSING)) {
                ops |= SelectionKey.OP_WRITE;
            }
            if (tls != null) {
                ops = tls.interest(ops);
            }
        }
        if (ops != interest) {
            interest = ops;
            registration.interestOps(ops);
        }
    }

    @Override
    public ServiceThread serviceThread() {
        return thread;
    }

    @Override
    public SocketAddress localAddress() {
        thread.checkInLoop("Connection.localAddress");
        try {
            return channel instanceof NetworkChannel n ? n.getLocalAddress() : null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public SocketAddress remoteAddress() {
        thread.checkInLoop("Connection.remoteAddress");
        try {
            if (channel instanceof SocketChannel s) {
                return s.getRemoteAddress();
            }
            if (channel instanceof java.nio.channels.DatagramChannel d) {
                return d.getRemoteAddress();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void attach(Object attachment) {
        thread.checkInLoop("Connection.attach");
        this.attachment = attachment;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T attachment() {
        thread.checkInLoop("Connection.attachment");
        return (T) attachment;
    }

    @Override
    public String toString() {
        return "Connection[" + channel + ", " + state.name().toLowerCase(java.util.Locale.ROOT) + "]";
    }
}
