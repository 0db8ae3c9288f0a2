package io.guestloop.netty;

import io.guestloop.GuestContext;
import io.guestloop.Protocol;
import io.guestloop.ServiceThread;
import io.guestloop.tck.Timeouts;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host shuts its Netty group down while guest connections are open: the guest is told, closes
 * every socket of its own, and nothing throws on the loop.
 *
 * <p><b>Threading:</b> the test thread drives clients and the shutdown.
 */
class HostShutdownTest {

    private static final int CLIENTS = 6;

    private EventLoopGroup group;
    private final List<LogRecord> problems = new CopyOnWriteArrayList<>();
    private final Handler problemCollector = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String name = record.getLoggerName() == null ? "" : record.getLoggerName();
            if (record.getLevel().intValue() >= Level.WARNING.intValue()
                    && (name.startsWith("io.netty") || name.startsWith("io.guestloop"))) {
                problems.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final List<Socket> clients = new ArrayList<>();

    @BeforeEach
    void collectLoopProblems() {
        Logger.getLogger("").addHandler(problemCollector);
    }

    @AfterEach
    void release() throws IOException {
        Logger.getLogger("").removeHandler(problemCollector);
        for (Socket s : clients) {
            s.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void hostShutdownClosesEveryGuestSocketAndNothingThrowsOnTheLoop(Transport transport) throws Exception {
        group = transport.newGroup(2);
        Set<Thread> loopThreads = new HashSet<>();
        for (EventExecutor loop : group) {
            loopThreads.add(Timeouts.await(CompletableFuture.supplyAsync(Thread::currentThread, loop), "a loop thread"));
        }
        Set<Thread> stopThreads = ConcurrentHashMap.newKeySet();
        EchoHandler echo = new EchoHandler();
        GuestContext guest = GuestContext.builder()
                .hostLoop(group)
                .protocol(new Protocol() {
                    @Override
                    public void onStop(ServiceThread thread) {
                        stopThreads.add(Thread.currentThread());
                    }
                })
                .listen(new InetSocketAddress("127.0.0.1", 0), echo)
                .build();
        SocketAddress address = guest.listeners().get(0).localAddress();
        for (int i = 0; i < CLIENTS; i++) {
            Socket socket = connect(address);
            clients.add(socket);
            assertEquals("open-" + i, exchange(socket, "open-" + i));
        }
        assertEquals(CLIENTS, echo.opened.get());

        group.shutdownGracefully(0, 5, TimeUnit.SECONDS);

        Timeouts.await(guest.closed(), "the guest context to close itself");
        assertTrue(group.terminationFuture().awaitUninterruptibly(Timeouts.AWAIT.toMillis()), "the host group to terminate");
        assertNull(group.terminationFuture().cause(), "a loop ended with an exception");
        assertEquals(CLIENTS, echo.closed.get(), "guest connections closed");
        for (Socket socket : clients) {
            assertEquals(-1, socket.getInputStream().read(), "a guest socket left open after the host shut down");
        }
        assertTrue(echo.callbackThreads.stream().allMatch(loopThreads::contains), "guest callbacks off the loop threads: "
                + echo.callbackThreads);
        assertEquals(loopThreads, stopThreads, "every service thread stopped on its own loop thread");
        assertEquals(List.of(), problems.stream().map(r -> r.getLoggerName() + ": " + r.getMessage()).toList(),
                "warnings or errors logged while the host shut down");
    }

    private static String exchange(Socket socket, String word) throws IOException {
        byte[] bytes = word.getBytes(StandardCharsets.US_ASCII);
        socket.getOutputStream().write(bytes);
        return new String(socket.getInputStream().readNBytes(bytes.length), StandardCharsets.US_ASCII);
    }

    private static Socket connect(SocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout((int) Timeouts.AWAIT.toMillis());
        socket.connect(address, (int) Timeouts.AWAIT.toMillis());
        return socket;
    }
}
