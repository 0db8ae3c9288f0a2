package io.guestloop.internal;

import io.guestloop.internal.tls.TlsTransport;
import io.guestloop.tls.TlsConfig;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ByteChannel;

/**
 * The TLS side of one {@link CoreConnection}: the handshake it runs before the connection opens
 * (bounded by its timeout), close_notify on the way out, and the whole records the layer holds that
 * no readiness event will announce. Reading and writing go through {@link #transport} itself, which
 * the connection uses as its channel.
 *
 * <p><b>Threading:</b> the connection's service thread only.
 */
final class ConnectionTls {

    final TlsTransport transport;
    private final CoreConnection connection;
    /** The handshake runs, while the connection is pending (or closing): events go here, not to the handler. */
    boolean handshaking;
    private GuestTimer handshakeTimer;

    /** TLS with {@code config} over {@code socket}, to or from {@code peer}. */
    ConnectionTls(CoreConnection connection, TlsConfig config, ByteChannel socket, SocketAddress peer) {
        this.connection = connection;
        this.transport = new TlsTransport(config, socket, peer, connection.thread.tlsBuffers(), new Owner());
    }

    /** The socket is established: the handshake begins, bounded by its timeout. */
    void startHandshake() {
        if (handshaking) {
            return;
        }
        handshaking = true;
        handshakeTimer = connection.thread.scheduleInternal(transport.handshakeTimeoutNanos(), () -> {
            handshakeTimer = null;
            connection.ioFailed(transport.timedOut());
        });
        advanceHandshake();
    }

    void advanceHandshake() {
        boolean done;
        try {
            done = transport.advance();
        } catch (IOException e) {
            connection.ioFailed(e);
            return;
        }
        if (connection.isClosed()) {
            return;
        }
        if (!done) {
            connection.updateInterest();
            return;
        }
        handshaking = false;
        cancelTimer();
        connection.open();
        readBuffered();
    }

    /** Reads records the layer holds already: no readiness event will announce them. */
    void readBuffered() {
        if (connection.readsNow() && transport.hasBufferedRecord()) {
            connection.readable();
        }
    }

    /** Sends close_notify after what waits: true when it has left; false to wait for WRITE, or when it failed. */
    boolean closeOutbound() {
        try {
            return transport.closeOutbound();
        } catch (IOException e) {
            connection.ioFailed(e);
            return false;
        }
    }

    /** Writes the ciphertext the layer holds; false while some waits or when the socket failed. */
    boolean flush() {
        try {
            if (transport.flush()) {
                return true;
            }
        } catch (IOException e) {
            connection.ioFailed(e);
        }
        return false;
    }

    /** The connection closed: the timer stops and the engine is released. */
    void closed() {
        cancelTimer();
        transport.closeQuietly();
    }

    private void cancelTimer() {
        if (handshakeTimer != null) {
            connection.thread.cancelTimer(handshakeTimer);
            handshakeTimer = null;
        }
    }

    /** What the TLS layer asks of its connection. */
    private final class Owner implements TlsTransport.Owner {
        @Override
        public void interestChanged() {
            connection.updateInterest();
        }

        @Override
        public void tasksDone(Throwable failure) {
            if (connection.isClosed()) {
                return;
            }
            if (failure != null) {
                javax.net.ssl.SSLException e = handshaking
                        ? new javax.net.ssl.SSLHandshakeException("a TLS delegated task failed: " + failure)
                        : new javax.net.ssl.SSLException("a TLS delegated task failed: " + failure);
                e.initCause(failure);
                connection.ioFailed(e);
            } else if (handshaking) {
                advanceHandshake();
            } else {
                connection.updateInterest();
                readBuffered();
            }
        }

        @Override
        public void post(Runnable task) {
            connection.thread.post(task);
        }
    }
}
