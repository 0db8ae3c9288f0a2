package io.guestloop.bench;

import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.ssl.SslContext;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The connections of one {@link LoadGenerator}: opens them (TLS and WebSocket handshakes included), at
 * most {@link #CONNECTING_AT_ONCE} at a time, keeps the {@link Flow}s that opened, counts those that
 * failed, and remembers the first error of the run.
 *
 * <p><b>Threading:</b> the generator's loop thread only.
 */
final class Connections {

    /** How many connections may be between connect and open at once, so no accept queue overflows. */
    private static final int CONNECTING_AT_ONCE = 64;

    private final EventLoop loop;
    private final URI uri;
    /** Non-null for {@code wss://}: each connection starts with an {@code SslHandler} of it. */
    private final SslContext tls;
    private final Messages messages;
    private final Tally tally;
    private final List<Flow> flows = new ArrayList<>();

    private int toConnect;
    private int asked;
    private int opened;
    private int failed;
    private CountDownLatch allOpen;
    private String firstError;

    Connections(EventLoop loop, URI uri, SslContext tls, Messages messages, Tally tally) {
        this.loop = loop;
        this.uri = uri;
        this.tls = tls;
        this.messages = messages;
        this.tally = tally;
    }

    /** Starts opening {@code connections} connections; {@code latch} opens when each has opened or failed. */
    void open(int connections, CountDownLatch latch) {
        allOpen = latch;
        toConnect = connections;
        asked = connections;
        if (connections == 0) {
            latch.countDown();
        }
        for (int i = 0; i < Math.min(connections, CONNECTING_AT_ONCE); i++) {
            connectNext();
        }
    }

    /** Counts the stragglers still opening after {@code seconds} as failed, so the run goes on with the connections it has. */
    void giveUp(long seconds) {
        failed = asked - opened;
        if (firstError == null) {
            firstError = failed + " connections neither opened nor failed within " + seconds + " s";
        }
        asked = -1;
    }

    /** The connections that opened, in the order they did. */
    List<Flow> flows() {
        return flows;
    }

    /** How many connections opened and how many failed, so far. */
    int[] openedAndFailed() {
        return new int[] {opened, failed};
    }

    /** The first error of the run, or null. */
    String firstError() {
        return firstError;
    }

    /** Remembers {@code cause}, when it is the run's first error. */
    void error(Throwable cause) {
        if (firstError == null) {
            firstError = String.valueOf(cause);
        }
    }

    private void connectNext() {
        if (toConnect == 0) {
            return;
        }
        toConnect--;
        Flow flow = new Flow(messages, tally, this);
        ChannelFuture f = NettyTransports.client(loop, LoadGenerator.TRANSPORT, tls, pipeline -> {
            if (messages.websocket) {
                pipeline.addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
                        new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                                .webSocketUri(uri).maxFramePayloadLength(1 << 20)
                                .handshakeTimeoutMillis(60_000).build()),
                        new WebSocketFrameAggregator(1 << 20), flow);
            } else {
                pipeline.addLast(flow);
            }
        })
                .connect(new InetSocketAddress(uri.getHost(), uri.getPort()));
        f.addListener(done -> {
            if (!done.isSuccess()) {
                settled(null, done.cause());
            }
        });
    }

    /** A connection finished opening ({@code flow != null}) or failed; starts the next. */
    void settled(Flow flow, Throwable failure) {
        if (flow != null) {
            opened++;
            flows.add(flow);
            if (tally.sending) {
                flow.start();
            }
        } else {
            failed++;
            error(failure);
        }
        if (opened + failed == asked) {
            allOpen.countDown();
        }
        connectNext();
    }
}
