package io.guestloop;

import io.guestloop.tls.ClientTls;
import io.guestloop.tls.ServerTls;
import io.guestloop.tls.TlsConfig;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SelectableChannel;
import java.time.Duration;

/**
 * The guest's view of one host-loop thread (libwebsockets: a per-thread service context, {@code pt}).
 *
 * <p><b>Threading:</b> {@link #cancelService()}, {@link #inLoop()}, {@link #index()},
 * {@link #context()} and {@link #name()} may be called from any thread; every other method must be
 * called on this service thread, else {@link WrongThreadException}.
 */
public interface ServiceThread {

    /** The context this thread serves. */
    GuestContext context();

    /** This thread's position in {@link GuestContext#serviceThreads()}. */
    int index();

    /** The loop thread's name, for logs and messages. */
    String name();

    /** True when the caller runs on this service thread. */
    boolean inLoop();

    /**
     * This thread's door in from other threads (libwebsockets: {@code lws_cancel_service_pt}): soon
     * after, {@link ConnectionHandler#onEventWaitCancelled} runs on this thread, for the protocols
     * and the handlers bound to it, and on no other thread. Any thread; never blocks. Calls that pile
     * up before the thread gets to them merge into one dispatch; a call made during the dispatch
     * brings another one. Ignored once the context is closing.
     *
     * @see GuestContext#cancelService() the same for every service thread of the context
     */
    void cancelService();

    /**
     * Runs {@code task} once on this thread, not before {@code delay} has passed.
     *
     * @throws IllegalArgumentException for a negative delay
     */
    Timer schedule(Duration delay, Runnable task);

    /**
     * Opens a listener bound to {@code address}: TCP for an {@code InetSocketAddress} (port 0 lets the
     * OS pick), a UNIX-domain socket for a {@code UnixDomainSocketAddress}. This thread accepts;
     * accepted connections are spread over every service thread of the context.
     *
     * @throws IOException when the address cannot be bound; nothing is left open
     */
    Listener listen(SocketAddress address, ConnectionHandler handler) throws IOException;

    /**
     * Opens a TLS listener, as {@link #listen(SocketAddress, ConnectionHandler)} opens a plain one.
     * Each accepted connection does its handshake first; {@code handler} sees plaintext, and
     * {@link ConnectionHandler#onOpen} once the handshake has completed. A handshake that fails or
     * does not finish within {@link ServerTls#handshakeTimeout()} ends in
     * {@link ConnectionHandler#onClosed} with an {@link javax.net.ssl.SSLHandshakeException} (and no
     * {@code onOpen}); other connections are not affected.
     *
     * @throws IOException when the address cannot be bound; nothing is left open
     */
    Listener listen(SocketAddress address, ServerTls tls, ConnectionHandler handler) throws IOException;

    /**
     * Connects to {@code address} without blocking: a resolved {@code InetSocketAddress} (TCP) or a
     * {@code UnixDomainSocketAddress}. Nothing blocks the loop thread, so no name is resolved here: an
     * unresolved address is an {@link IllegalArgumentException}; resolve names off the loop (the
     * WebSocket client does) and pass the result. {@link ConnectionHandler#onOpen} follows when
     * connected; a refusal, an error or no connection within {@code timeout} ends in
     * {@link ConnectionHandler#onClosed} with the cause ({@link java.net.ConnectException} or
     * {@link java.net.SocketTimeoutException}) and no {@code onOpen}.
     *
     * @return the connection, not yet open
     * @throws IOException when no socket could be opened at all
     */
    Connection connect(SocketAddress address, Duration timeout, ConnectionHandler handler) throws IOException;

    /**
     * Connects with TLS, as {@link #connect(SocketAddress, Duration, ConnectionHandler)} connects
     * without: once the socket is connected the handshake runs (the server name sent and verified is
     * {@link ClientTls#serverName()}, or the host name of {@code address}), and
     * {@link ConnectionHandler#onOpen} follows when it has completed. {@code timeout} bounds the TCP
     * connect, {@link ClientTls#handshakeTimeout()} the handshake after it; a failed handshake (an
     * untrusted or expired certificate, a host name that does not match) ends in
     * {@link ConnectionHandler#onClosed} with an {@link javax.net.ssl.SSLHandshakeException}.
     *
     * @return the connection, not yet open
     * @throws IOException when no socket could be opened at all
     */
    Connection connect(SocketAddress address, Duration timeout, ClientTls tls, ConnectionHandler handler) throws IOException;

    /**
     * Serves a channel the application already has (a TCP or UNIX-domain socket, a connected UDP
     * channel, either end of a pipe; a UDP channel must be connected to its peer). Reads happen when the channel is readable, writes when it is
     * writable; a channel that is only readable or only writable supports only that half. The
     * channel is switched to non-blocking mode and closed with the connection. It must come from the
     * context's {@link GuestContext#channelProvider()}: the JDK's, except on loops that watch file
     * descriptors (Netty's epoll and io_uring loops).
     *
     * @throws IllegalArgumentException when the channel can neither be read nor written, is an
     *                                  unconnected {@code DatagramChannel}, or comes from another
     *                                  provider than {@link GuestContext#channelProvider()} (the
     *                                  message says which to use)
     * @throws IOException              when the channel cannot be registered (closed, say)
     */
    Connection adopt(SelectableChannel channel, ConnectionHandler handler) throws IOException;

    /**
     * Serves a connected stream channel the application already has with TLS, as
     * {@link #adopt(SelectableChannel, ConnectionHandler)} serves it without: as the server of the
     * handshake for a {@link ServerTls}, as its client for a {@link ClientTls}.
     * {@link ConnectionHandler#onOpen} follows the handshake.
     *
     * @throws IllegalArgumentException as the plain {@code adopt} does, and for a channel that is not
     *                                  a {@link java.nio.channels.ByteChannel} stream (TLS needs both
     *                                  halves), such as a pipe end or a UDP channel
     * @throws IOException              when the channel cannot be registered (closed, say)
     */
    Connection adopt(SelectableChannel channel, TlsConfig tls, ConnectionHandler handler) throws IOException;

    /**
     * Binds {@code handler} to this thread so that it receives
     * {@link ConnectionHandler#onEventWaitCancelled} without owning a connection. Bindings count:
     * each {@code bind} needs one {@link #unbind}.
     */
    void bind(ConnectionHandler handler);

    /** Undoes one {@link #bind}. */
    void unbind(ConnectionHandler handler);
}
