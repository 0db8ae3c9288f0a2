package io.guestloop.modulepath;

import io.guestloop.Connection;
import io.guestloop.ConnectionHandler;
import io.guestloop.GuestContext;
import io.guestloop.example.legacy.loop.LegacyLoop;
import io.guestloop.executor.SerialHost;
import io.guestloop.spi.LoopOpsProvider;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A guest on one backend, from the module path, checked end to end; {@code ModulePathTest} runs it
 * in a child JVM:
 *
 * <pre>
 * java --module-path ... -m io.guestloop.modulepath/io.guestloop.modulepath.GuestOnModulePath nio|netty|vertx|legacy|executor [--watchdog]
 * </pre>
 *
 * <p>It prints the backends {@link ServiceLoader} finds (name and module) and whether {@code jdk.jfr}
 * is in the runtime, starts the loop the host of that backend has (none for nio, a Netty group, a
 * Vert.x instance, a {@link LegacyLoop}), builds a guest context on it <em>without naming a
 * backend</em> (selection by host loop, or by {@code -Dguestloop.backend}), and sends one message
 * over 127.0.0.1 that the guest echoes. With {@code --watchdog} the guest then holds its loop thread
 * twice, each time until the watchdog has reported it: the second report proves the watchdog
 * outlived the first (and, with JFR there, that recording the event went well). One line per step on stdout; exit 0 when every step held, 1 otherwise.
 *
 * <p><b>Threading:</b> {@link #main} on the main thread; the echo on the context's service thread.
 */
public final class GuestOnModulePath {

    private static final Duration BOUND = Duration.ofSeconds(20);
    /** A read of this one byte (it cannot arrive split) holds the loop; the answer says if the watchdog saw it. */
    private static final byte HOLD = '!';
    private static final byte REPORTED = '+';
    private static final byte NOT_REPORTED = '-';

    private GuestOnModulePath() {
    }

    /** Runs the check; see the class comment for the arguments and the output. */
    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2 || (args.length == 2 && !args[1].equals("--watchdog"))) {
            System.err.println("usage: GuestOnModulePath nio|netty|vertx|legacy|executor [--watchdog]");
            System.exit(2);
        }
        for (LoopOpsProvider p : ServiceLoader.load(LoopOpsProvider.class)) {
            System.out.println("provider " + p.name() + " in " + p.getClass().getModule());
        }
        System.out.println("jdk.jfr " + (ModuleLayer.boot().findModule("jdk.jfr").isPresent() ? "present" : "absent"));
        Host host = Host.start(args[0]);
        boolean ok;
        try {
            ok = runGuest(host.loop(), args.length == 2);
        } finally {
            host.stop();
        }
        System.out.println(ok ? "done" : "FAILED");
        System.exit(ok ? 0 : 1);
    }

    private static boolean runGuest(Object hostLoop, boolean watchdog) throws Exception {
        GuestContext context = GuestContext.builder()
                .hostLoop(hostLoop)
                .watchdogThreshold(Duration.ofMillis(50))
                .listen(new InetSocketAddress("127.0.0.1", 0), new Echo())
                .build();
        try {
            System.out.println("backend " + context.backendName() + " on " + context.serviceThreads().get(0).name());
            SocketAddress address = context.listeners().get(0).localAddress();
            try (Socket socket = new Socket()) {
                socket.connect(address, (int) BOUND.toMillis());
                socket.setSoTimeout((int) BOUND.toMillis());
                if (!exchange(socket, "hello from the module path")) {
                    return false;
                }
                System.out.println("echo ok");
                if (watchdog) {
                    for (int i = 1; i <= 2; i++) {
                        socket.getOutputStream().write(HOLD);
                        int answer = socket.getInputStream().read(); // bounded by the read timeout
                        if (answer != REPORTED) {
                            System.out.println("watchdog report " + i + " missing: answer " + answer);
                            return false;
                        }
                        System.out.println("watchdog report " + i + " ok");
                    }
                }
            }
        } finally {
            context.close().toCompletableFuture().get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        }
        System.out.println("closed");
        return true;
    }

    /** Sends {@code text} and reads the echo; false (and why, on stdout) when it does not come back. */
    private static boolean exchange(Socket socket, String text) throws IOException {
        byte[] sent = text.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(sent);
        out.flush();
        InputStream in = socket.getInputStream();
        byte[] back = in.readNBytes(sent.length); // bounded by the socket's read timeout
        String echoed = new String(back, StandardCharsets.UTF_8);
        if (!echoed.equals(text)) {
            System.out.println("echo wrong: sent '" + text + "', got '" + echoed + "'");
            return false;
        }
        return true;
    }

    /**
     * Echoes what it reads. A read of the one byte {@link #HOLD} holds the loop thread, on purpose,
     * until the watchdog has reported it (bounded), and answers whether it did.
     */
    private static final class Echo implements ConnectionHandler {
        @Override
        public void onData(Connection connection, ByteBuffer data) {
            if (data.remaining() == 1 && data.get(data.position()) == HOLD) {
                boolean reported;
                WatchdogReports.forgetEarlier(); // a slow earlier callback (a cold JIT) may have been reported
                try {
                    reported = WatchdogReports.await(BOUND);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    reported = false;
                }
                connection.write(ByteBuffer.wrap(new byte[] {reported ? REPORTED : NOT_REPORTED}));
                return;
            }
            connection.write(ByteBuffer.allocate(data.remaining()).put(data).flip());
        }
    }

    /** The application's own loop for one backend, started before the guest and stopped after it. */
    private record Host(Object loop, Runnable stopper) {

        static Host start(String backend) throws Exception {
            switch (backend) {
                case "nio":
                    return new Host(null, () -> { });
                case "netty": {
                    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
                    return new Host(group, () -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS)
                            .awaitUninterruptibly(BOUND.toMillis()));
                }
                case "vertx": {
                    Vertx vertx = Vertx.vertx();
                    return new Host(vertx, () -> join(vertx.close().toCompletionStage().toCompletableFuture()));
                }
                case "legacy": {
                    LegacyLoop loop = new LegacyLoop();
                    Thread thread = new Thread(loop::run, "legacy-loop");
                    thread.start();
                    CompletableFuture<Void> running = new CompletableFuture<>();
                    loop.execute(() -> running.complete(null)); // the loop is inside run() once this ran
                    join(running);
                    return new Host(loop, () -> {
                        loop.stop();
                        try {
                            thread.join(BOUND.toMillis());
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                }
                case "executor": {
                    Thread[] worker = new Thread[1];
                    ExecutorService single = Executors.newSingleThreadExecutor(task -> worker[0] = new Thread(task, "serial-host"));
                    join(CompletableFuture.runAsync(() -> { }, single)); // the worker exists once this ran
                    Thread host = worker[0];
                    return new Host(SerialHost.of(single, () -> Thread.currentThread() == host), single::shutdown);
                }
                default:
                    throw new IllegalArgumentException("no host for backend '" + backend + "'");
            }
        }

        void stop() {
            stopper.run();
        }

        private static void join(CompletableFuture<?> future) {
            try {
                future.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
