package io.guestloop.netty;

import io.netty.channel.unix.Socket;

import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.Objects;
import java.util.Set;

/**
 * The standard socket options of {@link NativeChannels}' sockets, mapped onto Netty's native
 * {@link Socket} setters and getters.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
final class NativeOptions {

    /** What a connected or connecting TCP socket supports. */
    static final Set<SocketOption<?>> STREAM = Set.of(StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_SNDBUF,
            StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_REUSEPORT,
            StandardSocketOptions.SO_LINGER, StandardSocketOptions.TCP_NODELAY, StandardSocketOptions.IP_TOS);
    /** What a listening socket supports. */
    static final Set<SocketOption<?>> LISTEN = Set.of(StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_REUSEADDR,
            StandardSocketOptions.SO_REUSEPORT);
    /** What a UDP socket supports. */
    static final Set<SocketOption<?>> DATAGRAM = Set.of(StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_SNDBUF,
            StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_REUSEPORT, StandardSocketOptions.SO_BROADCAST,
            StandardSocketOptions.IP_TOS);

    private NativeOptions() {
    }

    /**
     * @throws UnsupportedOperationException when {@code supported} lacks the option
     * @throws IllegalArgumentException      when the value is null or out of range
     */
    static <T> void set(Socket socket, Set<SocketOption<?>> supported, SocketOption<T> name, T value) throws IOException {
        check(supported, name);
        if (value == null) {
            throw new IllegalArgumentException("socket option " + name + " needs a value, got null");
        }
        if (name == StandardSocketOptions.SO_RCVBUF) {
            socket.setReceiveBufferSize(positive(name, (Integer) value));
        } else if (name == StandardSocketOptions.SO_SNDBUF) {
            socket.setSendBufferSize(positive(name, (Integer) value));
        } else if (name == StandardSocketOptions.SO_KEEPALIVE) {
            socket.setKeepAlive((Boolean) value);
        } else if (name == StandardSocketOptions.SO_REUSEADDR) {
            socket.setReuseAddress((Boolean) value);
        } else if (name == StandardSocketOptions.SO_REUSEPORT) {
            socket.setReusePort((Boolean) value);
        } else if (name == StandardSocketOptions.SO_LINGER) {
            socket.setSoLinger((Integer) value);
        } else if (name == StandardSocketOptions.TCP_NODELAY) {
            socket.setTcpNoDelay((Boolean) value);
        } else if (name == StandardSocketOptions.IP_TOS) {
            socket.setTrafficClass((Integer) value);
        } else {
            socket.setBroadcast((Boolean) value); // SO_BROADCAST, the last one check() lets through
        }
    }

    /** @throws UnsupportedOperationException when {@code supported} lacks the option */
    @SuppressWarnings("unchecked")
    static <T> T get(Socket socket, Set<SocketOption<?>> supported, SocketOption<T> name) throws IOException {
        check(supported, name);
        Object value;
        if (name == StandardSocketOptions.SO_RCVBUF) {
            value = socket.getReceiveBufferSize();
        } else if (name == StandardSocketOptions.SO_SNDBUF) {
            value = socket.getSendBufferSize();
        } else if (name == StandardSocketOptions.SO_KEEPALIVE) {
            value = socket.isKeepAlive();
        } else if (name == StandardSocketOptions.SO_REUSEADDR) {
            value = socket.isReuseAddress();
        } else if (name == StandardSocketOptions.SO_REUSEPORT) {
            value = socket.isReusePort();
        } else if (name == StandardSocketOptions.SO_LINGER) {
            value = socket.getSoLinger();
        } else if (name == StandardSocketOptions.TCP_NODELAY) {
            value = socket.isTcpNoDelay();
        } else if (name == StandardSocketOptions.IP_TOS) {
            value = socket.getTrafficClass();
        } else {
            value = socket.isBroadcast();
        }
        return (T) value;
    }

    private static void check(Set<SocketOption<?>> supported, SocketOption<?> name) {
        Objects.requireNonNull(name, "name");
        if (!supported.contains(name)) {
            throw new UnsupportedOperationException("socket option " + name + " is not supported here; supported: " + supported);
        }
    }

    private static int positive(SocketOption<?> name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("socket option " + name + " must be positive, got " + value);
        }
        return value;
    }
}
