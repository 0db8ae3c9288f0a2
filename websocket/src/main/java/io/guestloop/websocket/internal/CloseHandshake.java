package io.guestloop.websocket.internal;

import io.guestloop.Connection;
import io.guestloop.Timer;
import io.guestloop.websocket.CloseCode;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Locale;

/**
 * The close handshake of one {@link Session} (RFC 6455 section 7): where the session is in its
 * life, the close code and reason its endpoint will be told, our close frame, and the close timer
 * that drops the connection when the handshake stalls. The session stops its reading, parsing and
 * keep-alive and tells its endpoint; this class keeps the bookkeeping those steps depend on.
 *
 * <p>The phases, in this order: messages flow both ways ({@link #isOpen()}); our close frame is
 * sent (our own close, or the answer to the peer's) and nothing more is sent; the session failed
 * (a protocol error or an endpoint that threw: our close frame is sent and nothing more is read);
 * the connection is closed and the endpoint told ({@link #hasEnded()}). The close code and reason
 * travel beside them: the peer's once its close frame arrived, ours once we failed, else 1006.
 *
 * <p><b>Threading:</b> not thread-safe; one per session, used on its connection's service thread.
 */
final class CloseHandshake {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private enum State {
        OPEN, CLOSING, FAILED, ENDED
    }

    private final Connection connection;
    private final FrameOutput out;
    private final boolean server;
    private final Duration timeout;
    private State state = State.OPEN;
    private int code = CloseCode.ABNORMAL_CLOSURE;
    private String reason = "";
    private Timer timer;
    /** True when our close frame was already sent when the session failed. */
    private boolean closeSentBeforeFailure;

    /**
     * @param server  true on the server side, which ends the TCP connection once the handshake is done
     * @param timeout how long the handshake may wait for room for our close frame and for the peer
     */
    CloseHandshake(Connection connection, FrameOutput out, boolean server, Duration timeout) {
        this.connection = connection;
        this.out = out;
        this.server = server;
        this.timeout = timeout;
    }

    /** True while messages flow both ways: no close frame sent, no failure. */
    boolean isOpen() {
        return state == State.OPEN;
    }

    /** True while reading goes on: open, or our close frame sent and the peer's awaited. */
    boolean isReading() {
        return state == State.OPEN || state == State.CLOSING;
    }

    /** True once the connection is closed and the endpoint was told ({@link #end}). */
    boolean hasEnded() {
        return state == State.ENDED;
    }

    /** The close code the endpoint is told: the peer's, ours after a failure, else 1006. */
    int code() {
        return code;
    }

    /** The close reason that goes with {@link #code()}. */
    String reason() {
        return reason;
    }

    /**
     * The peer's close frame arrived: keeps its code and reason; an open session answers with the
     * same code (a close without a code is answered without one) and sends nothing more. Arms the
     * close timer, which bounds both the wait for room for our close frame and, on the client, for
     * the server's TCP close; the server ends the TCP connection (section 7.1.1) once its close
     * frame is queued.
     */
    void peerClosed(int code, String reason) {
        this.code = code;
        this.reason = reason;
        if (state == State.OPEN) {
            state = State.CLOSING;
            out.close(code == CloseCode.NO_STATUS_RECEIVED ? EMPTY.duplicate() : FrameWriter.closePayload(code, ""));
        }
        armTimer();
        if (server) {
            out.afterCloseFrame(connection::closeAfterFlush);
        }
    }

    /**
     * An open session starts closing: sends our close frame and arms the close timer. The caller
     * checked {@link #isOpen()} first.
     */
    void start(int code, String reason) {
        state = State.CLOSING;
        out.close(FrameWriter.closePayload(code, reason));
        armTimer();
    }

    /**
     * The session fails with {@code code} and {@code reason}, which the endpoint will be told.
     *
     * @return false when it failed before or has ended (then nothing changed), else true; then
     *         {@link #sendFailure} follows unless the endpoint aborted meanwhile
     */
    boolean fail(int code, String reason) {
        if (state == State.FAILED || state == State.ENDED) {
            return false;
        }
        closeSentBeforeFailure = state == State.CLOSING;
        state = State.FAILED;
        this.code = code;
        this.reason = reason;
        return true;
    }

    /**
     * After {@link #fail}: sends our close frame with the code and reason it kept unless one went
     * before, then ends the connection once it is queued. A peer that reads nothing any more cannot
     * keep the connection: the close timer ends the wait for room for the close frame and for the
     * flush after it.
     */
    void sendFailure() {
        if (!closeSentBeforeFailure) {
            out.close(FrameWriter.closePayload(code, reason));
        }
        armTimer();
        out.afterCloseFrame(connection::closeAfterFlush);
    }

    /**
     * The connection is closed: the handshake ends and its timer with it. The caller checked
     * {@link #hasEnded()} first.
     *
     * @param cause why the connection broke, or null for an orderly end
     * @return true when {@code cause} is news to the endpoint (the session had not failed on its
     *         own): the close is then 1006 with no reason, and the endpoint must be told the cause
     */
    boolean end(Throwable cause) {
        boolean failedBefore = state == State.FAILED;
        state = State.ENDED;
        if (timer != null) {
            timer.cancel();
        }
        if (cause == null || failedBefore) {
            return false;
        }
        code = CloseCode.ABNORMAL_CLOSURE;
        reason = "";
        return true;
    }

    /** (Re)starts the close timeout, which drops the connection when the close handshake stalls. */
    private void armTimer() {
        if (timer != null) {
            timer.cancel();
        }
        timer = connection.serviceThread().schedule(timeout, connection::close);
    }

    @Override
    public String toString() {
        return state.name().toLowerCase(Locale.ROOT);
    }
}
