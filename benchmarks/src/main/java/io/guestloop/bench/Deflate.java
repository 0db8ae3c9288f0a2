package io.guestloop.bench;

import io.guestloop.websocket.PerMessageDeflateConfig;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateClientExtensionHandshaker;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import io.vertx.core.http.HttpServerOptions;

/**
 * permessage-deflate as the compression runs set it on every stack alike: off, on with context
 * takeover both ways, or on with neither side keeping its window between messages (the client
 * asks {@code server_no_context_takeover} and {@code client_no_context_takeover}; every server
 * accepts both). Level 6 and a 15-bit window everywhere.
 *
 * <p><b>Threading:</b> constants and factories; any thread.
 */
enum Deflate {
    OFF, TAKEOVER, NO_TAKEOVER;

    static final int LEVEL = 6;

    /** guestloop's server and client configuration. */
    PerMessageDeflateConfig guest() {
        return switch (this) {
            case OFF -> PerMessageDeflateConfig.off();
            case TAKEOVER -> PerMessageDeflateConfig.on().withMinMessageSize(0).withLevel(LEVEL);
            case NO_TAKEOVER -> PerMessageDeflateConfig.on().withMinMessageSize(0).withLevel(LEVEL)
                    .withServerNoContextTakeover(true).withClientNoContextTakeover(true);
        };
    }

    /** Native Netty's server side (for a pipeline with {@code WebSocketServerExtensionHandler}). */
    PerMessageDeflateServerExtensionHandshaker nettyServer() {
        // allow a client's server_no_context_takeover; prefer client_no_context_takeover when off
        return new PerMessageDeflateServerExtensionHandshaker(LEVEL, false, 15, true, this == NO_TAKEOVER);
    }

    /** Native Vert.x's server options. */
    HttpServerOptions vertx(HttpServerOptions options) {
        return options.setPerMessageWebSocketCompressionSupported(this != OFF)
                .setWebSocketCompressionLevel(LEVEL)
                .setWebSocketAllowServerNoContext(true)
                .setWebSocketPreferredClientNoContext(this == NO_TAKEOVER);
    }

    /** The load generator's (Netty's client) offer. */
    PerMessageDeflateClientExtensionHandshaker generator() {
        // offers server_no_context_takeover and client_no_context_takeover only when off
        return new PerMessageDeflateClientExtensionHandshaker(LEVEL, false, 15, this == NO_TAKEOVER, this == NO_TAKEOVER);
    }
}
