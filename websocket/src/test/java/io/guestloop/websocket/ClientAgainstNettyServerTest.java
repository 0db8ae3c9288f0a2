package io.guestloop.websocket;

import io.guestloop.tck.Timeouts;
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
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our client against a WebSocket server nobody here wrote: Netty's own
 * {@code WebSocketServerProtocolHandler} echoing every data frame back as it comes (fragments too),
 * behind its {@code WebSocketServerCompressionHandler}, which accepts permessage-deflate when our
 * client offers it.
 */
class ClientAgainstNettyServerTest {

    private static final int MAX_FRAME = 8 << 20;

    private EventLoopGroup nettyGroup;
    private Channel nettyServer;
    private ServerFixture fixture;
    private URI uri;

    @BeforeEach
    void start() throws Exception {
        nettyGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        nettyServer = new ServerBootstrap().group(nettyGroup).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerCompressionHandler(0),
                                new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                        .websocketPath("/echo").maxFramePayloadLength(MAX_FRAME).allowExtensions(true).build()),
                                new SimpleChannelInboundHandler<WebSocketFrame>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
                                        if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame
                                                || frame instanceof ContinuationWebSocketFrame) {
                                            ctx.writeAndFlush(frame.retainedDuplicate());
                                        }
                                    }
                                });
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        fixture = new ServerFixture(WebSocketServer.builder().build()); // only for a service thread to run the client on
        uri = URI.create("ws://127.0.0.1:" + ((InetSocketAddress) nettyServer.localAddress()).getPort() + "/echo");
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
        nettyServer.close().sync();
        nettyGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
    }

    @ParameterizedTest(name = "permessage-deflate {0}")
    @ValueSource(booleans = {false, true})
    void ourClientEchoesTextAndBinaryOfEveryLengthFormThroughNettysServer(boolean deflate) throws Exception {
        MessageCollector collector = new MessageCollector();
        WebSocketClient client = WebSocketClient.builder().config(WebSocketConfig.builder()
                .perMessageDeflate(deflate ? PerMessageDeflateConfig.on() : PerMessageDeflateConfig.off()).build()).build();
        WebSocket socket = Timeouts.await(fixture.onLoop(t -> client.connect(t, uri, collector))
                .thenCompose(stage -> stage), "the handshake with Netty's server");
        assertEquals(deflate ? "permessage-deflate" : "", Timeouts.await(fixture.onLoop(t -> socket.extensions()), "extensions"),
                "Netty's compression handler accepts our offer");
        for (int length : new int[] {0, 125, 126, 65535, 65536, 4 << 20}) {
            byte[] body = new byte[length];
            for (int i = 0; i < length; i++) {
                body[i] = (byte) (i * 31 + 7);
            }
            boolean sent = Timeouts.await(fixture.onLoop(t -> socket.sendBinary(ByteBuffer.wrap(body))), "send");
            assertTrue(sent);
            assertArrayEquals(body, (byte[]) collector.next(), "binary of " + length + " bytes");
            String text = "é".repeat(length / 2);
            sent = Timeouts.await(fixture.onLoop(t -> socket.sendText(text)), "send");
            assertTrue(sent);
            assertEquals(text, collector.next(), "text of " + length + " bytes");
        }
        Timeouts.await(fixture.onLoop(t -> {
            socket.close(CloseCode.NORMAL, "done");
            return null;
        }), "close");
        assertTrue(collector.awaitClose().startsWith("1000"), "Netty answered our close with 1000");
    }

    @ParameterizedTest(name = "permessage-deflate {0}")
    @ValueSource(booleans = {false, true})
    void ourClientReassemblesWhatNettyFragments(boolean deflate) throws Exception {
        MessageCollector collector = new MessageCollector();
        WebSocketClient client = WebSocketClient.builder().config(WebSocketConfig.builder()
                .perMessageDeflate(deflate ? PerMessageDeflateConfig.on().withMinMessageSize(0) : PerMessageDeflateConfig.off()).build()).build();
        WebSocket socket = Timeouts.await(fixture.onLoop(t -> client.connect(t, uri, collector))
                .thenCompose(stage -> stage), "the handshake with Netty's server");
        String longPart = "{\"type\":\"chat\",\"text\":\"compressible\"}".repeat(2000);
        for (int round = 0; round < 2; round++) { // the second round runs on the windows the first left
            Timeouts.await(fixture.onLoop(t -> {
                socket.sendTextFragment("frag", false);
                socket.ping(ByteBuffer.wrap(new byte[] {9}));
                socket.sendTextFragment("mented", false);
                socket.sendTextFragment(longPart, true);
                return null;
            }), "a fragmented send with a ping between the fragments");
            // Netty echoes each fragment as it comes; our client assembles them into one message.
            assertEquals("fragmented" + longPart, collector.next());
        }
    }
}
