package io.guestloop.internal;

import io.guestloop.Connection;
import io.guestloop.ConnectionHandler;
import io.guestloop.ServiceThread;
import io.guestloop.spi.ReadyListener;
import io.guestloop.tls.TlsConfig;
import io.guestloop.tls.TlsInfo;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Optional;

/**
 * A guest connection: its life cycle (connecting, open, closing, closed) and the
 * {@link io.guestloop.Connection} calls. Reading is {@link ConnectionInput}'s, writing and water
 * marks {@link ConnectionOutput}'s, the readiness watched {@link ConnectionInterest}'s and the
 * timeout of a connect {@link ConnectAttempt}'s; a TLS connection reads and writes through its
 * {@link ConnectionTls} instead of the socket, and opens once the handshake it drives first has
 * completed.
 *
 * <p><b>Threading:</b> loop thread of {@link #thread} only; public methods check it.
 */
final class CoreConnection implements Connection, ReadyListener {

    final CoreServiceThread thread;
    private final SelectableChannel channel;
    /** The TLS layer between socket and handler, or null for plaintext. */
    private final ConnectionTls tls;
    private final ConnectionHandler handler;
    /** Neighbours in the thread's list of live connections. */
    CoreConnection prev;
    CoreConnection next;

    private ConnectionState state = ConnectionState.PENDING;
    /** The outgoing connect that waits for OP_CONNECT, while PENDING (or CLOSING, when closeAfterFlush came first); else null. */
    private ConnectAttempt connect;
    private boolean readPaused;
    private boolean writeRequested;
    /** Null for a channel that cannot be read. */
    private final ConnectionInput input;
    /** Null for a channel that cannot be written. */
    private final ConnectionOutput output;
    /** What the connection watches; the thread hands it the registration. */
    final ConnectionInterest interest;
    private Object attachment;

    /** A connection with TLS ({@code tlsConfig} not null) to or from {@code peer}; the channel must then be a byte channel. */
    CoreConnection(CoreServiceThread thread, SelectableChannel channel, ConnectionHandler handler, TlsConfig tlsConfig,
                   SocketAddress peer) {
        this.thread = thread;
        this.channel = channel;
        this.handler = handler;
        this.tls = tlsConfig == null ? null : new ConnectionTls(this, tlsConfig, (ByteChannel) channel, peer);
        ReadableByteChannel in = tls != null ? tls.transport : channel instanceof ReadableByteChannel r ? r : null;
        WritableByteChannel out = tls != null ? tls.transport : channel instanceof WritableByteChannel w ? w : null;
        this.output = out != null ? new ConnectionOutput(this, out, thread.cork, thread.context.spec) : null;
        // writes to a datagram channel must stay one datagram each: they are never corked together
        ConnectionOutput corked = channel instanceof java.nio.channels.DatagramChannel ? null : output;
        this.input = in != null ? new ConnectionInput(this, in, handler, corked, tls) : null;
        this.interest = new ConnectionInterest(input != null, output, tls);
    }

    /** Reads the records the TLS layer holds now. */
    void readable() {
        input.readable();
    }

    boolean isClosed() {
        return state == ConnectionState.CLOSED;
    }

    /** Open and not paused: reading goes on. */
    boolean readsNow() {
        return state == ConnectionState.OPEN && !readPaused;
    }

    ConnectionHandler handler() {
        return handler;
    }

    /** Waits for OP_CONNECT, failing with a timeout exception after {@code timeoutNanos}. */
    void awaitConnect(SocketAddress address, long timeoutNanos) {
        connect = new ConnectAttempt(this, address, timeoutNanos);
        updateInterest();
    }

    /** The connection is established: start reading and tell the handler. */
    void open() {
        if (state == ConnectionState.CLOSED) {
            return;
        }
        if (tls != null && !tls.transport.isEstablished()) {
            tls.startHandshake();
            return;
        }
        if (state == ConnectionState.PENDING) {
            state = ConnectionState.OPEN;
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
            if (ConnectAttempt.finish((SocketChannel) channel, this)) {
                endConnect();
                open();
            }
        } else if (tls != null && tls.handshaking) {
            tls.advanceHandshake();
        }
        if (tls != null && tls.handshaking) {
            return;
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0 && (state == ConnectionState.OPEN || state == ConnectionState.CLOSING)) {
            writable();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0 && state == ConnectionState.OPEN) {
            input.readable();
        }
    }

    private void endConnect() {
        if (connect != null) {
            connect.cancel();
            connect = null;
        }
    }

    /** Sends TLS close_notify after what waits: true when it has left (or there is no TLS); false to wait for WRITE. */
    private boolean closeTls() {
        return tls == null || tls.closeOutbound();
    }

    @Override
    public Optional<TlsInfo> tls() {
        thread.checkInLoop("Connection.tls");
        return tls == null ? Optional.empty() : Optional.ofNullable(tls.transport.info());
    }

    /** The socket takes bytes again: flush what waits, then close or tell the handler as asked. */
    private void writable() {
        if (tls != null && !tls.flush()) {
            return;
        }
        if (output.queuedBytes() > 0 && (!output.flush() || output.queuedBytes() > 0)) {
            return;
        }
        if (state == ConnectionState.CLOSING) {
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
        return send(data, ConnectionOutput.unitSize(data));
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
        return output.send(data, data.length, total, state == ConnectionState.OPEN);
    }

    /** Tells the handler that the queue crossed a water mark; false when the handler failed (the connection is then closed). */
    boolean writabilityChanged(boolean writable) {
        try {
            handler.onWritabilityChanged(this, writable);
            return state != ConnectionState.CLOSED;
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
            if (tls != null && tls.transport.hasBufferedRecord()) {
                thread.post(tls::readBuffered); // not from inside the caller's callback
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

    /** Closes after what is queued has left; also the end of the stream read. */
    void closeAfterFlushInternal() {
        if (!state.live()) {
            return;
        }
        if (thread.cork.isOwner(this) && (!output.releaseCork() || state == ConnectionState.CLOSED)) {
            return;
        }
        if ((output == null || output.queuedBytes() == 0) && connect == null) {
            if (closeTls()) {
                closeWith(null);
                return;
            }
            if (state == ConnectionState.CLOSED) {
                return; // sending close_notify failed
            }
        }
        state = ConnectionState.CLOSING;
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
        if (state == ConnectionState.CLOSED) {
            return;
        }
        state = ConnectionState.CLOSED;
        endConnect();
        interest.cancel();
        if (output != null) {
            output.closing();
        }
        if (tls != null) {
            tls.closed();
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
        interest.update(state, connect != null, readPaused, writeRequested);
    }

    @Override
    public ServiceThread serviceThread() {
        return thread;
    }

    @Override
    public SocketAddress localAddress() {
        thread.checkInLoop("Connection.localAddress");
        return ChannelAddresses.local(channel);
    }

    @Override
    public SocketAddress remoteAddress() {
        thread.checkInLoop("Connection.remoteAddress");
        return ChannelAddresses.remote(channel);
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
