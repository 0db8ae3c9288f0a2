/**
 * The guestloop WebSocket demo: one page with a chat room and an echo box, served by the
 * {@code io.guestloop.websocket} stack on any backend. Run {@link io.guestloop.demo.Main}.
 */
module io.guestloop.demo {
    requires io.guestloop.websocket;

    exports io.guestloop.demo;
}
