package io.guestloop.internal.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One connection's close_notify state: whether the peer's side has ended (its close_notify, or the
 * end of the stream without one) and whether ours has (close_notify wrapped and sent once, after
 * what waits), and the quiet close that lets everything go.
 *
 * <p><b>Threading:</b> the owning connection's service thread only.
 */
final class TlsClosing {

    private final TlsRecords records;
    private boolean inboundDone;
    private boolean outboundClosed;

    TlsClosing(TlsRecords records) {
        this.records = records;
    }

    /** True once the peer's side has ended: reads report the end of the stream. */
    boolean inboundDone() {
        return inboundDone;
    }

    /** True once we began to close our side: nothing more may be written. */
    boolean outboundClosed() {
        return outboundClosed;
    }

    /** The peer's close_notify came: what follows it is not ours to read. */
    void closeNotifyReceived() {
        inboundDone = true;
    }

    /**
     * The stream ended without close_notify. As Netty does, that ends the plaintext stream like a
     * plain end of stream: the protocol above (a WebSocket close, a length) says whether anything
     * was cut short.
     */
    void streamEndedWithoutCloseNotify(SSLEngine engine) {
        inboundDone = true;
        records.dropInput();
        closeInbound(engine);
    }

    /**
     * Sends close_notify (once) after what waits: true when all of it has left, false when the
     * socket must become writable first.
     */
    boolean closeOutbound(SSLEngine engine) throws IOException {
        if (!records.flush()) {
            return false;
        }
        if (!outboundClosed) {
            outboundClosed = true;
            engine.closeOutbound();
            wrapClose(engine);
        }
        return records.flush();
    }

    private void wrapClose(SSLEngine engine) throws IOException {
        ByteBuffer net = records.out(engine.getSession().getPacketBufferSize());
        while (!engine.isOutboundDone() && net.remaining() >= 64) {
            SSLEngineResult res = engine.wrap(TlsHandshake.EMPTY, net);
            if (res.bytesProduced() == 0) {
                break;
            }
        }
        net.flip();
        records.send(net);
    }

    /**
     * The connection closes now: one try to send what {@code engine} (null before it was made)
     * still has to say (close_notify, or the alert of a failed handshake), then every leftover is
     * let go.
     */
    void closeQuietly(SSLEngine engine) {
        try {
            if (engine != null && !outboundClosed) {
                outboundClosed = true;
                engine.closeOutbound();
                if (records.flush()) {
                    wrapClose(engine);
                }
            }
        } catch (IOException | RuntimeException e) {
            // closing anyway; the peer may already be gone
        }
        records.release();
        if (engine != null && !inboundDone) {
            inboundDone = true;
            closeInbound(engine);
        }
    }

    private static void closeInbound(SSLEngine engine) {
        try {
            engine.closeInbound();
        } catch (SSLException truncated) {
            // expected: no close_notify came
        }
    }
}
