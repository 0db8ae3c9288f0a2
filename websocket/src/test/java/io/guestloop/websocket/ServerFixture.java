package io.guestloop.websocket;

import io.guestloop.GuestContext;
import io.guestloop.Mailbox;
import io.guestloop.Protocol;
import io.guestloop.ServiceThread;
import io.guestloop.tck.Timeouts;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * A guest context with one service thread on the backend of this test run ({@link TestHost}), serving
 * a WebSocketServer on 127.0.0.1:0.
 */
final class ServerFixture implements AutoCloseable {

    final GuestContext context;
    final InetSocketAddress address;
    private final TestHost host = TestHost.start();
    private volatile Mailbox<Runnable> mailbox;
    private volatile ServiceThread thread;

    ServerFixture(WebSocketServer server) {
        this(server, null);
    }

    /** The server on a TLS listener when {@code tls} is not null. */
    ServerFixture(WebSocketServer server, io.guestloop.tls.ServerTls tls) {
        CountDownLatch started = new CountDownLatch(1);
        GuestContext.Builder builder = host.builder()
                .protocol(new Protocol() {
                    @Override
                    public void onStart(ServiceThread t) {
                        thread = t;
                        mailbox = Mailbox.open(t, Runnable::run);
                        started.countDown();
                    }
                });
        InetSocketAddress local = new InetSocketAddress("127.0.0.1", 0);
        context = (tls == null ? builder.listen(local, server) : builder.listen(local, tls, server)).build();
        Timeouts.await(started, "service thread start");
        address = (InetSocketAddress) context.listeners().get(0).localAddress();
    }

    /** Runs {@code work} on the service thread and returns its result stage. */
    <T> CompletableFuture<T> onLoop(Function<ServiceThread, T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        mailbox.post(() -> {
            try {
                result.complete(work.apply(thread));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    @Override
    public void close() {
        try {
            Timeouts.await(context.close(), "context close");
        } finally {
            host.close();
        }
    }
}
