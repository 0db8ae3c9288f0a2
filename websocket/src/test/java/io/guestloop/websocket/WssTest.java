package io.guestloop.websocket;

import io.guestloop.tck.TestCertificates;
import io.guestloop.tck.TestCertificates.Identity;
import io.guestloop.tck.Timeouts;
import io.guestloop.tls.ClientTls;
import io.guestloop.tls.ServerTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code wss://}: our client and our server over the guest core's TLS on the backend of this run,
 * our client against Netty's own TLS WebSocket server ({@code SslHandler} and
 * {@code WebSocketServerProtocolHandler}), and a certificate the client does not trust.
 */
class WssTest {

    private static final TestCertificates CERTS = TestCertificates.get();
    private static final WebSocketClient CLIENT = WebSocketClient.builder().tls(ClientTls.of(CERTS.clientContext())).build();

    private ServerFixture fixture;
    private EventLoopGroup nettyGroup;
    private Channel nettyServer;

    @AfterEach
    void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
        if (nettyServer != null) {
            nettyServer.close().sync();
        }
        if (nettyGroup != null) {
            nettyGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    private static WebSocketServer echoServer() {
        return WebSocketServer.builder().endpoint("/echo", new RecordingEndpoint(true)).build();
    }

    @Test
    void ourClientEchoesThroughOurServerOverWssWithTheHostNameVerified() throws Exception {
        fixture = new ServerFixture(echoServer(), ServerTls.of(CERTS.serverContext(Identity.SERVER)));
        URI uri = URI.create("wss://localhost:" + fixture.address.getPort() + "/echo"); // "localhost" is checked against the certificate
        echoTextAndBinary(uri);
    }

    @Test
    void ourClientEchoesThroughNettysOwnTlsWebSocketServer() throws Exception {
        nettyGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        nettyServer = new ServerBootstrap().group(nettyGroup).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SSLEngine engine = CERTS.serverContext(Identity.SERVER).createSSLEngine();
                        engine.setUseClientMode(false);
                        ch.pipeline().addLast(new SslHandler(engine), new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                        .websocketPath("/echo").maxFramePayloadLength(8 << 20).build()),
                                new SimpleChannelInboundHandler<WebSocketFrame>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
                                        if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
                                            ctx.writeAndFlush(frame.retainedDuplicate());
                                        }
                                    }
                                });
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        fixture = new ServerFixture(WebSocketServer.builder().build()); // a service thread for the client
        echoTextAndBinary(URI.create("wss://127.0.0.1:" + ((InetSocketAddress) nettyServer.localAddress()).getPort() + "/echo"));
    }

    @Test
    void anUntrustedServerCertificateFailsTheConnectWithTheHandshakeFailure() {
        fixture = new ServerFixture(echoServer(), ServerTls.of(CERTS.serverContext(Identity.STRANGER)));
        MessageCollector collector = new MessageCollector();
        URI uri = URI.create("wss://127.0.0.1:" + fixture.address.getPort() + "/echo");
        CompletableFuture<WebSocket> stage = Timeouts.await(fixture.onLoop(t -> CLIENT.connect(t, uri, collector).toCompletableFuture()),
                "connect");
        AssertionError failure = assertThrows(AssertionError.class, () -> Timeouts.await(stage, "the handshake"));
        WebSocketException e = assertInstanceOf(WebSocketException.class, failure.getCause());
        assertInstanceOf(SSLHandshakeException.class, e.getCause(), "the TLS failure is the cause: " + e);
        assertTrue(!collector.opened.isDone(), "the endpoint hears nothing of a socket that never opened");
    }

    private void echoTextAndBinary(URI uri) throws Exception {
        MessageCollector collector = new MessageCollector();
        WebSocket socket = Timeouts.await(fixture.onLoop(t -> CLIENT.connect(t, uri, collector)).thenCompose(stage -> stage),
                "the wss handshake with " + uri);
        for (int length : new int[] {0, 125, 65536, 1 << 20}) {
            byte[] body = new byte[length];
            for (int i = 0; i < length; i++) {
                body[i] = (byte) (i * 31 + 7);
            }
            boolean sent = Timeouts.await(fixture.onLoop(t -> socket.sendBinary(ByteBuffer.wrap(body))), "send");
            assertTrue(sent);
            assertArrayEquals(body, (byte[]) collector.next(), "binary of " + length + " bytes");
            String text = "é".repeat(length / 4);
            sent = Timeouts.await(fixture.onLoop(t -> socket.sendText(text)), "send");
            assertTrue(sent);
            assertEquals(text, collector.next(), "text of " + length / 4 + " chars");
        }
        Timeouts.await(fixture.onLoop(t -> {
            socket.close(CloseCode.NORMAL, "done");
            return null;
        }), "close");
        assertTrue(collector.awaitClose().startsWith("1000"), "the server answered our close with 1000");
    }
}
