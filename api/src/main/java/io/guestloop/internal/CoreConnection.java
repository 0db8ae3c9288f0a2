package io.guestloop.internal;

import io.guestloop.Connection;
import io.guestloop.ConnectionHandler;
import io.guestloop.ServiceThread;
import io.guestloop.spi.ReadyListener;
import io.guestloop.spi.Registration;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A guest connection: non-blocking reads into its thread's shared buffer, writes that queue what the
 * socket does not take, and the readiness interest that follows from its state.
 *
 * <p><b>Threading:</b> loop thread of {@link #thread} only; public methods check it.
 */
final class CoreConnection implements Connection, ReadyListener {

    private static final int PENDING = 0; // connecting, or adopted and not yet opened
    private static final int OPEN = 1;
    private static final int CLOSING = 2; // flushing, then closing
    private static final int CLOSED = 3;
    /** Reads per readiness event while each fills the buffer: fairness between connections. */
    private static final int MAX_READS_PER_EVENT = 4;

    final CoreServiceThread thread;
    private final SelectableChannel channel;
    private final ReadableByteChannel in;
    private final WritableByteChannel out;
    private final ConnectionHandler handler;
    /** Writes to a datagram channel must stay one datagram each: they are never corked together. */
    private final boolean corkable;
    Registration registration;
    /** Neighbours in the thread's list of live connections. */
    CoreConnection prev;
    CoreConnection next;

    private int state = PENDING;
    private int interest;
    private boolean connecting;
    private boolean readPaused;
    private boolean inputClosed;
    private boolean writeRequested;
    private boolean unwritable;
    private final WriteQueue queue = new WriteQueue();
    private Object attachment;
    private GuestTimer connectTimer;

    CoreConnection(CoreServiceThread thread, SelectableChannel channel, ConnectionHandler handler) {
        this.thread = thread;
        this.channel = channel;
        this.in = channel instanceof ReadableByteChannel r ? r : null;
        this.out = channel instanceof WritableByteChannel w ? w : null;
        this.handler = handler;
        this.corkable = !(channel instanceof java.nio.channels.DatagramChannel);
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
        if (state == CLOSED) {
            return;
        }
        if (state == PENDING) {
            state = OPEN;
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
    public void onReady(Registration registration, int readyOps) {
        LoopMonitor monitor = thread.monitor;
        monitor.enter();
        try {
            if ((readyOps & SelectionKey.OP_CONNECT) != 0) {
                finishConnect();
            }
            if ((readyOps & SelectionKey.OP_WRITE) != 0 && (state == OPEN || state == CLOSING)) {
                writable();
            }
            if ((readyOps & SelectionKey.OP_READ) != 0 && state == OPEN) {
                readable();
            }
        } finally {
            monitor.exit();
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

    private void readable() {
        WriteCork cork = thread.cork;
        if (corkable && out != null) {
            cork.open(this);
        }
        try {
            readBatch();
        } finally {
            if (cork.isOwner(this)) {
                cork.close();
                if (state == CLOSED) {
                    cork.reset();
                } else {
                    releaseCork();
                }
            }
        }
    }

    private void readBatch() {
        ByteBuffer buf = thread.readBuffer();
        for (int i = 0; i < MAX_READS_PER_EVENT && state == OPEN && !readPaused; i++) {
            buf.clear();
            int n;
            try {
                n = in.read(buf);
            } catch (IOException e) {
                ioFailed(e);
                return;
            }
            if (n < 0) {
                inputClosed = true;
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
        if (queue.bytes() > 0 && !flush()) {
            return;
        }
        if (queue.bytes() > 0) {
            return;
        }
        if (state == CLOSING) {
            closeWith(null);
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

    /** Writes queued buffers until the socket stops taking them; false when the connection failed. */
    private boolean flush() {
        try {
            queue.writeTo(out);
        } catch (IOException e) {
            ioFailed(e);
            return false;
        }
        if (unwritable && queue.bytes() <= thread.context.spec.lowWaterMark()) {
            unwritable = false;
            try {
                handler.onWritabilityChanged(this, true);
            } catch (Throwable t) {
                guestFailed(t);
                return false;
            }
        }
        return state != CLOSED;
    }

    @Override
    public boolean write(ByteBuffer data) {
        thread.checkInLoop("Connection.write");
        if (out == null) {
            throw new UnsupportedOperationException("cannot write to " + channel + ": it is not a WritableByteChannel");
        }
        if (state >= CLOSING || queue.bytes() >= thread.context.spec.highWaterMark()) {
            return false;
        }
        if (!data.hasRemaining()) {
            return true;
        }
        if (queue.bytes() == 0 && state == OPEN && thread.cork.isOwner(this)) {
            if (thread.cork.offer(data)) {
                return true;
            }
            if (!thread.cork.isEmpty() && out instanceof GatheringByteChannel gathering) {
                return writeAfterCork(gathering, data);
            }
            if (!releaseCork()) {
                return false;
            }
        }
        if (queue.bytes() == 0 && state == OPEN) {
            try {
                while (data.hasRemaining() && out.write(data) > 0) {
                    // keep writing while the socket takes bytes
                }
            } catch (IOException e) {
                ioFailed(e);
                return false;
            }
            if (!data.hasRemaining()) {
                return true;
            }
        }
        queue.add(data);
        queued();
        return true;
    }

    /**
     * {@code data} does not fit in the cork: one gathering write sends what the cork collected and
     * then {@code data}, rather than a write for each; what the socket does not take queues, in order.
     */
    private boolean writeAfterCork(GatheringByteChannel gathering, ByteBuffer data) {
        WriteCork cork = thread.cork;
        ByteBuffer[] both = cork.collectedThen(data);
        try {
            while (data.hasRemaining() && gathering.write(both) > 0) {
                // keep writing while the socket takes bytes
            }
        } catch (IOException e) {
            cork.reset();
            ioFailed(e);
            return false;
        }
        boolean rest = data.hasRemaining();
        if (both[0].hasRemaining()) {
            queue.add(both[0]);
        }
        cork.reset();
        if (rest) {
            queue.add(data);
            queued();
        }
        return true;
    }

    /** Bytes went to the queue: watch for WRITE, and tell the handler if the queue is now full. */
    private void queued() {
        updateInterest();
        if (!unwritable && queue.bytes() >= thread.context.spec.highWaterMark()) {
            unwritable = true;
            try {
                handler.onWritabilityChanged(this, false);
            } catch (Throwable t) {
                guestFailed(t);
            }
        }
    }

    /**
     * Writes out what this connection collected in its thread's cork; what the socket does not take
     * goes to the queue, before anything written later. False when the connection failed.
     */
    private boolean releaseCork() {
        WriteCork cork = thread.cork;
        if (cork.isEmpty()) {
            return state != CLOSED;
        }
        ByteBuffer bytes = cork.collected();
        try {
            while (bytes.hasRemaining() && out.write(bytes) > 0) {
                // keep writing while the socket takes bytes
            }
        } catch (IOException e) {
            cork.reset();
            ioFailed(e);
            return false;
        }
        boolean rest = bytes.hasRemaining();
        if (rest) {
            queue.add(bytes);
        }
        cork.reset();
        if (rest) {
            queued();
        }
        return state != CLOSED;
    }

    @Override
    public boolean isWritable() {
        thread.checkInLoop("Connection.isWritable");
        return state < CLOSING && queue.bytes() < thread.context.spec.highWaterMark();
    }

    @Override
    public long queuedBytes() {
        thread.checkInLoop("Connection.queuedBytes");
        return queue.bytes();
    }

    @Override
    public void requestWritable() {
        thread.checkInLoop("Connection.requestWritable");
        if (state < CLOSING && out != null && !writeRequested) {
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
        if (state >= CLOSING) {
            return;
        }
        if (thread.cork.isOwner(this) && !releaseCork()) {
            return;
        }
        if (queue.bytes() == 0 && !connecting) {
            closeWith(null);
            return;
        }
        state = CLOSING;
        updateInterest();
    }

    @Override
    public boolean isOpen() {
        thread.checkInLoop("Connection.isOpen");
        return state < CLOSING;
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
        if (state == CLOSED) {
            return;
        }
        state = CLOSED;
        if (connectTimer != null) {
            thread.cancelTimer(connectTimer);
            connectTimer = null;
        }
        if (registration != null) {
            registration.cancel();
        }
        if (thread.cork.isOwner(this) && !thread.cork.isEmpty()) {
            // Written before close() in the same onData: give it to the socket as an uncorked write would have.
            try {
                out.write(thread.cork.collected());
            } catch (IOException ignored) {
                // closing anyway
            }
            thread.cork.reset();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to release; the cause that matters is the one already in hand
        }
        queue.clear();
        thread.connectionClosed(this);
        try {
            handler.onClosed(this, cause);
        } catch (Throwable t) {
            thread.reportError(this, t);
        }
    }

    private void updateInterest() {
        if (state == CLOSED || registration == null) {
            return;
        }
        int ops;
        if (connecting) {
            ops = SelectionKey.OP_CONNECT;
        } else {
            ops = 0;
            if (in != null && state == OPEN && !readPaused && !inputClosed) {
                ops |= SelectionKey.OP_READ;
            }
            if (out != null && state != PENDING && (queue.bytes() > 0 || writeRequested || state == CLOSING)) {
                ops |= SelectionKey.OP_WRITE;
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
        return "Connection[" + channel + ", " + (state == OPEN ? "open" : state == CLOSED ? "closed" : state == CLOSING ? "closing" : "pending") + "]";
    }
}
