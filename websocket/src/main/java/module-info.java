/**
 * An RFC 6455 WebSocket server and client written only against the guest API, so it runs on any
 * guestloop backend. The public surface is {@code io.guestloop.websocket}; everything in
 * {@code io.guestloop.websocket.internal} is private to this module.
 */
module io.guestloop.websocket {
    requires transitive io.guestloop;

    exports io.guestloop.websocket;
}
