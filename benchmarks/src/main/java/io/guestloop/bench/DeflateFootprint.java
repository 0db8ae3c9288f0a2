package io.guestloop.bench;

import io.guestloop.GuestContext;
import io.guestloop.Mailbox;
import io.guestloop.Protocol;
import io.guestloop.ServiceThread;
import io.guestloop.websocket.WebSocket;
import io.guestloop.websocket.WebSocketClient;
import io.guestloop.websocket.WebSocketConfig;
import io.guestloop.websocket.WebSocketEndpoint;
import io.guestloop.websocket.WebSocketServer;
import io.guestloop.websocket.internal.CodecPool;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What an idle compressing connection costs in memory, native included: {@code java -Xms256m
 * -Xmx256m -XX:+AlwaysPreTouch io.guestloop.bench.DeflateFootprint <connections> [off|takeover|no_takeover]} opens that many
 * connections from our client to our server in this process (one nio service thread), sends one
 * ~200 B chat line each way on each, and prints the growth of the resident set (the heap is fixed
 * and touched in advance, so what grows is native memory and the kernel's socket state) per
 * connection pair, for every {@link Deflate} mode, with the codecs still alive.
 *
 * <p><b>Threading:</b> the main thread drives; the sockets live on the service thread.
 */
public final class DeflateFootprint {

    private static final String LINE = "{\"type\":\"chat\",\"from\":\"visitor-12\",\"text\":\"hello there, this is a chat line of"
            + " about two hundred bytes, like the JSON a chat sends\",\"thread\":\"guestloop-nio-0\",\"at\":1764590000000}";

    private DeflateFootprint() {
    }

    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        // One mode per process gives the cleanest figure: memory a mode freed is not reused by the next.
        List<Deflate> modes = args.length > 1 ? List.of(Deflate.valueOf(args[1].toUpperCase(Locale.ROOT))) : List.of(Deflate.values());
        for (Deflate mode : modes) {
            System.out.println(run(mode, connections));
        }
    }

    private static String run(Deflate mode, int connections) throws Exception {
        WebSocketConfig config = WebSocketConfig.builder().perMessageDeflate(mode.guest()).build();
        WebSocketServer server = WebSocketServer.builder().endpoint("/echo", new WebSocketEndpoint() {
            @Override
            public void onText(WebSocket socket, String text) {
                socket.sendText(text);
            }
        }).config(config).build();
        CompletableFuture<ServiceThread> started = new CompletableFuture<>();
        CompletableFuture<Mailbox<Runnable>> mailbox = new CompletableFuture<>();
        GuestContext context = GuestContext.builder().serviceThreads(1).protocol(new Protocol() {
            @Override
            public void onStart(ServiceThread thread) {
                mailbox.complete(Mailbox.open(thread, Runnable::run));
                started.complete(thread);
            }
        }).listen(new InetSocketAddress("127.0.0.1", 0), server).build();
        try {
            ServiceThread thread = started.get(30, TimeUnit.SECONDS);
            Mailbox<Runnable> loop = mailbox.get(30, TimeUnit.SECONDS);
            URI uri = URI.create("ws://127.0.0.1:" + ((InetSocketAddress) context.listeners().get(0).localAddress()).getPort() + "/echo");
            WebSocketClient client = WebSocketClient.builder().config(config).build();
            open(loop, thread, client, uri, 50, true); // warm-up: classes, pools and buffers exist before the baseline
            settle();
            long before = residentKiB();
            long codecsBefore = CodecPool.liveCodecs();
            List<WebSocket> sockets = open(loop, thread, client, uri, connections, false);
            settle();
            long grown = residentKiB() - before;
            long codecs = CodecPool.liveCodecs() - codecsBefore;
            CountDownLatch aborted = new CountDownLatch(1);
            loop.post(() -> {
                sockets.forEach(WebSocket::abort);
                aborted.countDown();
            });
            aborted.await(30, TimeUnit.SECONDS);
            return String.format(Locale.ROOT, "%-11s %,d connection pairs: resident set +%,d KiB, %.1f KiB per pair, %,d live codecs",
                    mode.name().toLowerCase(Locale.ROOT), connections, grown, grown / (double) connections, codecs);
        } finally {
            context.close().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
    }

    /** Opens {@code count} connections, each sending one line and waiting for its echo; aborts them at once when asked. */
    private static List<WebSocket> open(Mailbox<Runnable> loop, ServiceThread thread, WebSocketClient client, URI uri, int count,
                                        boolean abortAfter) throws InterruptedException {
        List<WebSocket> sockets = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch echoed = new CountDownLatch(count);
        for (int i = 0; i < count; i += 50) {
            int batch = Math.min(50, count - i);
            CountDownLatch opened = new CountDownLatch(batch);
            loop.post(() -> {
                for (int k = 0; k < batch; k++) {
                    client.connect(thread, uri, new WebSocketEndpoint() {
                        @Override
                        public void onOpen(WebSocket socket) {
                            sockets.add(socket);
                            socket.sendText(LINE);
                            opened.countDown();
                        }

                        @Override
                        public void onText(WebSocket socket, String text) {
                            echoed.countDown();
                        }
                    });
                }
            });
            if (!opened.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("connections did not open");
            }
        }
        if (!echoed.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("echoes did not come back");
        }
        if (abortAfter) {
            loop.post(() -> sockets.forEach(WebSocket::abort));
        }
        return sockets;
    }

    private static void settle() throws InterruptedException {
        System.gc();
        Thread.sleep(500);
    }

    private static long residentKiB() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
