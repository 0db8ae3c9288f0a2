/**
 * The guestloop WebSocket demo: one page with a chat room and an echo box, served by the
 * {@code io.guestloop.websocket} stack on any backend. Run {@link io.guestloop.demo.Main}; and a
 * desktop chat client whose WebSocket client runs on the Swing event thread,
 * {@link io.guestloop.demo.DesktopChat}.
 */
module io.guestloop.demo {
    requires io.guestloop.websocket;
    requires io.guestloop.example.legacy;
    requires io.guestloop.executor;
    requires java.desktop;
    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires io.netty.common;
    requires io.netty.transport;
    requires static io.netty.transport.classes.epoll;
    requires static io.netty.transport.classes.io_uring;
    requires io.vertx.core;

    exports io.guestloop.demo;
}
