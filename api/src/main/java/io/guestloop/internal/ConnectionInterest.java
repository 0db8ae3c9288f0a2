package io.guestloop.internal;

import io.guestloop.spi.Registration;

import java.nio.channels.SelectionKey;

/**
 * The readiness one {@link CoreConnection} watches: the rule that derives it from the connection's
 * state and wishes (a connect in flight, reading paused, an {@code onWritable} asked for, what a
 * TLS handshake needs), and the registration it is handed to, only when it changes.
 *
 * <p><b>Threading:</b> the connection's service thread only.
 */
final class ConnectionInterest {

    /** False for a channel that cannot be read. */
    private final boolean readable;
    /** Null for a channel that cannot be written. */
    private final ConnectionOutput output;
    /** Null for plaintext. */
    private final ConnectionTls tls;
    /** Null until the connection is registered with its loop. */
    private Registration registration;
    /** The interest the registration holds. */
    private int ops;

    ConnectionInterest(boolean readable, ConnectionOutput output, ConnectionTls tls) {
        this.readable = readable;
        this.output = output;
        this.tls = tls;
    }

    /** The connection is registered, with no interest yet. */
    void registered(Registration registration) {
        this.registration = registration;
    }

    /** Brings the registration's interest in line with what the connection is and wants now. */
    void update(ConnectionState state, boolean connecting, boolean readPaused, boolean writeRequested) {
        if (state == ConnectionState.CLOSED || registration == null) {
            return;
        }
        int ops;
        if (connecting) {
            ops = SelectionKey.OP_CONNECT;
        } else if (tls != null && tls.handshaking) {
            ops = tls.transport.handshakeInterest();
        } else {
            ops = 0;
            if (readable && state == ConnectionState.OPEN && !readPaused) {
                ops |= SelectionKey.OP_READ;
            }
            if (output != null && state != ConnectionState.PENDING && (output.queuedBytes() > 0 || writeRequested || state == ConnectionState.CLOSING)) {
                ops |= SelectionKey.OP_WRITE;
            }
            if (tls != null) {
                ops = tls.transport.interest(ops);
            }
        }
        if (ops != this.ops) {
            this.ops = ops;
            registration.interestOps(ops);
        }
    }

    /** The connection closes: nothing is watched any more. */
    void cancel() {
        if (registration != null) {
            registration.cancel();
        }
    }
}
