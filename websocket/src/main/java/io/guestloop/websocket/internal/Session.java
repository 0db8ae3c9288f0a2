package io.guestloop.websocket.internal;

import io.guestloop.Connection;
import io.guestloop.ServiceThread;
import io.guestloop.WrongThreadException;
import io.guestloop.websocket.CloseCode;
import io.guestloop.websocket.WebSocket;
import io.guestloop.websocket.WebSocketConfig;
import io.guestloop.websocket.WebSocketEndpoint;
import io.guestloop.websocket.WebSocketException;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * An open WebSocket connection after the handshake, for either role: feeds incoming bytes to the
 * {@link FrameParser} through its {@link InboundFlow} (pause and resume), turns the parser's events
 * into endpoint calls (whole messages, or parts for an endpoint that
 * {@linkplain WebSocketEndpoint#streamsMessages() streams}), hands what the endpoint sends to its
 * {@link MessageSender}, and runs the {@link CloseHandshake}, keep-alive pings and idle timeout on
 * guest timers.
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
    private final CloseHandshake close;
    private final MessageSender sender;
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
        this.close = new CloseHandshake(connection, out, server, config.closeTimeout());
        this.sender = new MessageSender(connection, out, deflater, messages, close);
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
        if (!close.hasEnded()) {
            keepAlive.start();
        }
        if (rest.hasRemaining() && !close.hasEnded()) {
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
        if (close.isOpen()) {
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
        keepAlive.stop(); // already stopped unless the session was open
        close.peerClosed(code, reason);
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
        if (close.hasEnded()) {
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
        if (close.hasEnded()) {
            return;
        }
        boolean causeIsNews = close.end(cause);
        keepAlive.stop();
        parser.stop();
        inbound.stop();
        if (causeIsNews) {
            notifyError(cause);
        }
        try {
            endpoint.onClose(this, close.code(), close.reason());
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
        return sender.sendText(text);
    }

    @Override
    public boolean sendText(ByteBuffer utf8) {
        checkThread("WebSocket.sendText");
        return sender.sendText(utf8);
    }

    @Override
    public boolean sendBinary(ByteBuffer data) {
        checkThread("WebSocket.sendBinary");
        return sender.sendBinary(data);
    }

    @Override
    public boolean sendTextFragment(CharSequence part, boolean last) {
        checkThread("WebSocket.sendTextFragment");
        return sender.sendTextFragment(part, last);
    }

    @Override
    public boolean sendBinaryFragment(ByteBuffer part, boolean last) {
        checkThread("WebSocket.sendBinaryFragment");
        return sender.sendBinaryFragment(part, last);
    }

    @Override
    public boolean ping(ByteBuffer payload) {
        checkThread("WebSocket.ping");
        return sender.ping(payload);
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
        if (!close.isOpen()) {
            return;
        }
        keepAlive.stop();
        close.start(code, reason);
        // The peer's close frame must be read for the handshake to finish: a pause cannot hold it back.
        inbound.resume();
    }

    @Override
    public void pause() {
        checkThread("WebSocket.pause");
        if (close.isReading()) {
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
        return close.isOpen();
    }

    @Override
    public boolean isWritable() {
        checkThread("WebSocket.isWritable");
        return sender.canSend();
    }

    // ---- failures ----

    /** The peer broke the protocol or the endpoint threw: send the close code, stop reading, drop. */
    private void fail(int code, String reason, Throwable error) {
        if (!close.fail(code, reason)) {
            return;
        }
        parser.stop();
        inbound.stop();
        keepAlive.stop();
        notifyError(error);
        if (close.hasEnded()) {
            return; // the endpoint aborted from onError
        }
        close.sendFailure();
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
        return "WebSocket[" + (server ? "server " : "client ") + target + ", " + close + "]";
    }
}
