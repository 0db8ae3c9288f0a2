package io.guestloop.websocket.internal;

import io.guestloop.Connection;
import io.guestloop.ServiceThread;
import io.guestloop.Timer;
import io.guestloop.WrongThreadException;
import io.guestloop.websocket.CloseCode;
import io.guestloop.websocket.WebSocket;
import io.guestloop.websocket.WebSocketConfig;
import io.guestloop.websocket.WebSocketEndpoint;
import io.guestloop.websocket.WebSocketException;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * An open WebSocket connection after the handshake, for either role: feeds incoming bytes to the
 * {@link FrameParser} through its {@link InboundFlow} (pause and resume), turns the parser's events
 * into endpoint calls (whole messages, or parts for an endpoint that
 * {@linkplain WebSocketEndpoint#streamsMessages() streams}), sends frames through its
 * {@link FrameOutput}, and runs the close handshake, keep-alive pings and idle timeout on guest
 * timers.
 *
 * <p><b>Threading:</b> every method runs on the connection's service thread; the public ones check
 * it and throw {@link WrongThreadException} otherwise.
 */
public final class Session implements WebSocket, ConnectionState, FrameListener {

    private static final System.Logger LOG = System.getLogger(Session.class.getName());
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Connection connection;
    private final boolean server;
    private final WebSocketEndpoint endpoint;
    private final WebSocketConfig config;
    private final String subprotocol;
    private final String target;
    private final FrameParser parser;
    private final FrameOutput out;
    private final InboundFlow inbound;
    private final MessageDelivery messages;
    /** permessage-deflate, when negotiated: the inflater sits between the parser and us (null when off). */
    private final MessageInflater inflater;
    private final MessageDeflater deflater;
    private final String extensions;

    /**
     * Where the session is in its life, in this order: messages flow both ways; our close frame is
     * sent (our own close, or the answer to the peer's) and nothing more is sent; the session failed
     * (a protocol error or an endpoint that threw: our close frame is sent and nothing more is read);
     * the connection is closed and the endpoint told. The close code and reason travel beside it:
     * the peer's once its close frame arrived, ours once we failed, else 1006.
     */
    private enum State {
        OPEN, CLOSING, FAILED, ENDED
    }

    private State state = State.OPEN;
    private int closeCode = CloseCode.ABNORMAL_CLOSURE;
    private String closeReason = "";
    private Timer closeTimer;
    private final KeepAlive keepAlive;
    private Object attachment;

    /**
     * @param server true on the server side (expects masked frames, sends unmasked ones)
     */
    public Session(Connection connection, boolean server, WebSocketEndpoint endpoint, WebSocketConfig config,
                   String subprotocol, String target) {
        this(connection, server, endpoint, config, subprotocol, target, null);
    }

    /**
     * @param server  true on the server side (expects masked frames, sends unmasked ones)
     * @param deflate the permessage-deflate agreement of the handshake, or null for none
     */
    public Session(Connection connection, boolean server, WebSocketEndpoint endpoint, WebSocketConfig config,
                   String subprotocol, String target, PerMessageDeflate deflate) {
        this.connection = connection;
        this.server = server;
        this.endpoint = endpoint;
        this.config = config;
        this.subprotocol = subprotocol;
        this.target = target;
        this.inflater = deflate == null ? null : new MessageInflater(this, deflate, server, config.maxMessageSize());
        this.parser = new FrameParser(server, config.maxFramePayload(), config.maxMessageSize(), inflater == null ? this : inflater);
        if (deflate != null) {
            parser.allowCompressedMessages();
        }
        this.extensions = deflate == null ? "" : deflate.header();
        this.inbound = new InboundFlow(connection, parser);
        this.messages = new MessageDelivery(this, endpoint, this::endpointFailed);
        this.out = new FrameOutput(connection, new FrameWriter(!server), messages::inputUnder);
        this.deflater = new MessageDeflater(out, deflate, server, connection::close);
        this.keepAlive = new KeepAlive(connection.serviceThread(), config, new KeepAlive.Actions() {
            @Override
            public void sendPing() {
                out.send(true, Opcode.PING, EMPTY.duplicate());
            }

            @Override
            public void idleTimedOut() {
                startClose(CloseCode.GOING_AWAY, "idle timeout");
            }

            @Override
            public boolean readingPaused() {
                return inbound.isPaused();
            }
        });
    }

    /**
     * Tells the endpoint the socket is open, then parses what followed the handshake in the same
     * read ({@code rest}, may be empty), or holds it when the endpoint paused in {@code onOpen}.
     */
    public void start(ByteBuffer rest) {
        try {
            endpoint.onOpen(this);
        } catch (Throwable t) {
            endpointFailed(t);
            return;
        }
        if (state != State.ENDED) {
            keepAlive.start();
        }
        if (rest.hasRemaining() && state != State.ENDED) {
            onData(rest);
        }
    }

    // ---- incoming ----

    @Override
    public void onData(ByteBuffer data) {
        keepAlive.onRead();
        inbound.onData(data);
    }

    @Override
    public void onMessageStart(boolean text) {
        messages.start(text);
    }

    @Override
    public void onMessagePayload(ByteBuffer payload) {
        messages.payload(payload);
    }

    @Override
    public void onMessageEnd() {
        messages.end();
    }

    @Override
    public void onFeedEnd() {
        messages.feedEnded();
    }

    @Override
    public void onPing(ByteBuffer payload) {
        if (state == State.OPEN) {
            out.pong(payload);
        }
    }

    @Override
    public void onPong(ByteBuffer payload) {
        try {
            endpoint.onPong(this, payload);
        } catch (Throwable t) {
            endpointFailed(t);
        }
    }

    @Override
    public void onClose(int code, String reason) {
        closeCode = code;
        closeReason = reason;
        if (state == State.OPEN) {
            state = State.CLOSING;
            keepAlive.stop();
            // echo the peer's code; a close without a code is answered without one
            out.close(code == CloseCode.NO_STATUS_RECEIVED ? EMPTY.duplicate() : FrameWriter.closePayload(code, ""));
        }
        // Bounds both the wait for room for our close frame and, on the client, for the server's TCP close.
        armCloseTimer();
        if (server) {
            // the server ends the TCP connection (section 7.1.1), once its close frame is queued
            out.afterCloseFrame(connection::closeAfterFlush);
        }
    }

    @Override
    public void onProtocolError(int code, String reason) {
        fail(code, reason, new WebSocketException(code, "peer broke the WebSocket protocol: " + reason));
    }

    @Override
    public void onWritabilityChanged(boolean writable) {
        if (writable) {
            out.writable();
        }
        if (state == State.ENDED) {
            return;
        }
        try {
            endpoint.onWritabilityChanged(this, writable);
        } catch (Throwable t) {
            endpointFailed(t);
        }
    }

    /** The context shuts down politely: close with 1001 and wait for the peer's reply (the close timer bounds it). */
    @Override
    public void onShutdown() {
        startClose(CloseCode.GOING_AWAY, server ? "server shutting down" : "client shutting down");
    }

    @Override
    public void onClosed(Throwable cause) {
        if (state == State.ENDED) {
            return;
        }
        boolean failedBefore = state == State.FAILED;
        state = State.ENDED;
        cancel(closeTimer);
        keepAlive.stop();
        parser.stop();
        inbound.stop();
        if (cause != null && !failedBefore) {
            closeCode = CloseCode.ABNORMAL_CLOSURE;
            closeReason = "";
            notifyError(cause);
        }
        try {
            endpoint.onClose(this, closeCode, closeReason);
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, "WebSocketEndpoint.onClose threw for " + this, t);
        }
        releaseCodecs();
    }

    /** Ends (or gives back) every Deflater and Inflater: their native memory must not outlive the socket. */
    private void releaseCodecs() {
        deflater.release();
        if (inflater != null) {
            inflater.release();
        }
    }

    // ---- outgoing ----

    @Override
    public boolean sendText(CharSequence text) {
        checkThread("WebSocket.sendText");
        out.checkNoFragmentedMessage();
        if (!canSend()) {
            return false;
        }
        // Compressed text needs its bytes first; plain text is encoded straight into the frame.
        return deflater.compresses(text.length())
                ? deflater.send(Opcode.TEXT, ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)))
                : out.sendText(true, Opcode.TEXT, text);
    }

    @Override
    public boolean sendText(ByteBuffer utf8) {
        checkThread("WebSocket.sendText");
        out.checkNoFragmentedMessage();
        if (!messages.isCheckedText(utf8)) {
            out.checkUtf8(utf8); // the text an endpoint is handed as bytes was checked on the way in
        }
        return canSend() && deflater.send(Opcode.TEXT, utf8);
    }

    @Override
    public boolean sendBinary(ByteBuffer data) {
        checkThread("WebSocket.sendBinary");
        out.checkNoFragmentedMessage();
        return canSend() && deflater.send(Opcode.BINARY, data);
    }

    @Override
    public boolean sendTextFragment(CharSequence part, boolean last) {
        checkThread("WebSocket.sendTextFragment");
        out.checkFragmentOf(Opcode.TEXT);
        if (!canSend()) {
            return false;
        }
        return deflater.isNegotiated()
                ? deflater.sendFragment(Opcode.TEXT, ByteBuffer.wrap(part.toString().getBytes(StandardCharsets.UTF_8)), last)
                : out.sendTextFragment(part, last);
    }

    @Override
    public boolean sendBinaryFragment(ByteBuffer part, boolean last) {
        checkThread("WebSocket.sendBinaryFragment");
        out.checkFragmentOf(Opcode.BINARY);
        return canSend() && deflater.sendFragment(Opcode.BINARY, part, last);
    }

    @Override
    public boolean ping(ByteBuffer payload) {
        checkThread("WebSocket.ping");
        if (payload.remaining() > 125) {
            throw new IllegalArgumentException("a ping payload holds at most 125 bytes, got " + payload.remaining());
        }
        return canSend() && out.send(true, Opcode.PING, payload);
    }

    @Override
    public void close(int code, String reason) {
        checkThread("WebSocket.close");
        if (!CloseCode.isValidOnWire(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent; use 1000-1003, 1007-1014 or 3000-4999");
        }
        startClose(code, reason);
    }

    private void startClose(int code, String reason) {
        if (state != State.OPEN) {
            return;
        }
        state = State.CLOSING;
        keepAlive.stop();
        out.close(FrameWriter.closePayload(code, reason));
        armCloseTimer();
        // The peer's close frame must be read for the handshake to finish: a pause cannot hold it back.
        inbound.resume();
    }

    @Override
    public void pause() {
        checkThread("WebSocket.pause");
        if (state == State.OPEN || state == State.CLOSING) {
            inbound.pause();
        }
    }

    @Override
    public void resume() {
        checkThread("WebSocket.resume");
        inbound.resume();
    }

    @Override
    public boolean isPaused() {
        checkThread("WebSocket.isPaused");
        return inbound.isPaused();
    }

    @Override
    public void abort() {
        checkThread("WebSocket.abort");
        connection.close();
    }

    @Override
    public boolean isOpen() {
        checkThread("WebSocket.isOpen");
        return state == State.OPEN;
    }

    @Override
    public boolean isWritable() {
        checkThread("WebSocket.isWritable");
        return canSend();
    }

    private boolean canSend() {
        return state == State.OPEN && connection.isWritable();
    }

    // ---- failures and timers ----

    /** The peer broke the protocol or the endpoint threw: send the close code, stop reading, drop. */
    private void fail(int code, String reason, Throwable error) {
        if (state == State.FAILED || state == State.ENDED) {
            return;
        }
        boolean closeSentBefore = state == State.CLOSING;
        state = State.FAILED;
        parser.stop();
        inbound.stop();
        keepAlive.stop();
        closeCode = code;
        closeReason = reason;
        notifyError(error);
        if (state == State.ENDED) {
            return; // the endpoint aborted from onError
        }
        if (!closeSentBefore) {
            out.close(FrameWriter.closePayload(code, reason));
        }
        // A peer that reads nothing any more cannot keep the connection: the timer ends the wait for
        // room for the close frame and for the flush after it.
        armCloseTimer();
        out.afterCloseFrame(connection::closeAfterFlush);
    }

    private void endpointFailed(Throwable t) {
        fail(CloseCode.INTERNAL_ERROR, "internal error", t);
    }

    private void notifyError(Throwable error) {
        try {
            endpoint.onError(this, error);
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, "WebSocketEndpoint.onError threw for " + this, t);
        }
    }

    /** (Re)starts the close timeout, which drops the connection when the close handshake stalls. */
    private void armCloseTimer() {
        cancel(closeTimer);
        closeTimer = connection.serviceThread().schedule(config.closeTimeout(), connection::close);
    }

    private static void cancel(Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }

    private void checkThread(String what) {
        ServiceThread thread = connection.serviceThread();
        if (!thread.inLoop()) {
            throw new WrongThreadException(what, thread.name(), Thread.currentThread().getName());
        }
    }

    // ---- accessors ----

    @Override
    public String subprotocol() {
        return subprotocol;
    }

    @Override
    public String extensions() {
        return extensions;
    }

    @Override
    public String requestTarget() {
        return target;
    }

    @Override
    public SocketAddress remoteAddress() {
        return connection.remoteAddress();
    }

    @Override
    public ServiceThread serviceThread() {
        return connection.serviceThread();
    }

    @Override
    public void attach(Object attachment) {
        checkThread("WebSocket.attach");
        this.attachment = attachment;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T attachment() {
        checkThread("WebSocket.attachment");
        return (T) attachment;
    }

    @Override
    public String toString() {
        return "WebSocket[" + (server ? "server " : "client ") + target + ", " + state.name().toLowerCase(java.util.Locale.ROOT) + "]";
    }
}
