package io.guestloop.websocket;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits and timeouts of WebSocket connections, shared by the server and the client. An
 * immutable value: build one with {@link #builder()}, or use {@link #defaults()}.
 *
 * <p>What happens at each limit: a frame or message over its size is refused from its header with
 * close code 1009 before its payload is read; a handshake head over {@code maxHandshakeSize} is
 * answered 400 and closed; no complete handshake within {@code handshakeTimeout} closes the
 * socket; a close handshake not answered within {@code closeTimeout} closes the socket; nothing
 * received for {@code idleTimeout} closes with 1001; nothing received for {@code pingInterval}
 * sends a ping, so a live peer's pong keeps an otherwise quiet connection from going idle. With
 * {@linkplain #perMessageDeflate() permessage-deflate} negotiated, {@code maxMessageSize} also
 * bounds a compressed message's inflated size, checked while it is inflated (1009 once crossed).
 *
 * <p><b>Threading:</b> immutable and thread-safe. The builder is not thread-safe.
 */
public final class WebSocketConfig {

    private static final WebSocketConfig DEFAULTS = builder().build();

    private final long maxFramePayload;
    private final long maxMessageSize;
    private final int maxHandshakeSize;
    private final Duration handshakeTimeout;
    private final Duration closeTimeout;
    private final Duration idleTimeout;
    private final Duration pingInterval;
    private final PerMessageDeflateConfig perMessageDeflate;

    private WebSocketConfig(Builder b) {
        this.maxFramePayload = b.maxFramePayload;
        this.maxMessageSize = b.maxMessageSize;
        this.maxHandshakeSize = b.maxHandshakeSize;
        this.handshakeTimeout = b.handshakeTimeout;
        this.closeTimeout = b.closeTimeout;
        this.idleTimeout = b.idleTimeout;
        this.pingInterval = b.pingInterval;
        this.perMessageDeflate = b.perMessageDeflate;
    }

    /** 16 MiB frames and messages, 8 KiB handshake, 10 s handshake, 5 s close, no idle timeout or pings. */
    public static WebSocketConfig defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The largest frame payload accepted, in bytes. */
    public long maxFramePayload() {
        return maxFramePayload;
    }

    /** The largest message (all its fragments) accepted, in bytes. */
    public long maxMessageSize() {
        return maxMessageSize;
    }

    /** The largest HTTP head of the opening handshake, in bytes. */
    public int maxHandshakeSize() {
        return maxHandshakeSize;
    }

    /** How long the opening handshake may take from the TCP connection on. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** How long to wait for the peer's side of the close handshake. */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /** Silence after which the connection is closed with 1001; {@link Duration#ZERO} means never. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** Silence after which a ping is sent; {@link Duration#ZERO} means never. */
    public Duration pingInterval() {
        return pingInterval;
    }

    /** Whether and how messages are compressed (RFC 7692); {@link PerMessageDeflateConfig#off()} by default. */
    public PerMessageDeflateConfig perMessageDeflate() {
        return perMessageDeflate;
    }

    @Override
    public String toString() {
        return "WebSocketConfig[maxFramePayload=" + maxFramePayload + ", maxMessageSize=" + maxMessageSize
                + ", maxHandshakeSize=" + maxHandshakeSize + ", handshakeTimeout=" + handshakeTimeout
                + ", closeTimeout=" + closeTimeout + ", idleTimeout=" + idleTimeout + ", pingInterval=" + pingInterval + ", perMessageDeflate=" + perMessageDeflate + "]";
    }

    /** Collects settings for a {@link WebSocketConfig}. Not thread-safe. */
    public static final class Builder {
        private long maxFramePayload = 16L << 20;
        private long maxMessageSize = 16L << 20;
        private int maxHandshakeSize = 8192;
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration closeTimeout = Duration.ofSeconds(5);
        private Duration idleTimeout = Duration.ZERO;
        private Duration pingInterval = Duration.ZERO;
        private PerMessageDeflateConfig perMessageDeflate = PerMessageDeflateConfig.off();

        private Builder() {
        }

        /** The largest frame payload accepted (at least 125, so every control frame fits). */
        public Builder maxFramePayload(long bytes) {
            if (bytes < 125) {
                throw new IllegalArgumentException("maxFramePayload must be at least 125 bytes, was " + bytes);
            }
            this.maxFramePayload = bytes;
            return this;
        }

        /** The largest message accepted, all fragments together (at least 1). */
        public Builder maxMessageSize(long bytes) {
            if (bytes < 1 || bytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("maxMessageSize must be between 1 and " + (Integer.MAX_VALUE - 8)
                        + " bytes (a message is assembled in one array), was " + bytes);
            }
            this.maxMessageSize = bytes;
            return this;
        }

        /** The largest handshake head (at least 256 bytes). */
        public Builder maxHandshakeSize(int bytes) {
            if (bytes < 256) {
                throw new IllegalArgumentException("maxHandshakeSize must be at least 256 bytes, was " + bytes);
            }
            this.maxHandshakeSize = bytes;
            return this;
        }

        /** How long the opening handshake may take (positive). */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = positive("handshakeTimeout", timeout);
            return this;
        }

        /** How long to wait for the peer's side of the close handshake (positive). */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = positive("closeTimeout", timeout);
            return this;
        }

        /** Silence after which to close with 1001; zero (the default) disables it. */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = notNegative("idleTimeout", timeout);
            return this;
        }

        /** Silence after which to send a ping; zero (the default) disables it. */
        public Builder pingInterval(Duration interval) {
            this.pingInterval = notNegative("pingInterval", interval);
            return this;
        }

        /** Whether and how to compress messages with permessage-deflate; off by default. */
        public Builder perMessageDeflate(PerMessageDeflateConfig deflate) {
            this.perMessageDeflate = Objects.requireNonNull(deflate, "deflate");
            return this;
        }

        /** The immutable configuration. */
        public WebSocketConfig build() {
            return new WebSocketConfig(this);
        }

        private static Duration positive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }

        private static Duration notNegative(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, was " + d);
            }
            return d;
        }
    }
}
