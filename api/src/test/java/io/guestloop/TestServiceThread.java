package io.guestloop;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in service thread for testing what is built on the guest API alone ({@link Mailbox}): it
 * counts {@code cancelService()} calls and lets the test run a dispatch itself, on the test thread,
 * which plays the loop thread. No socket, no timer.
 *
 * <p><b>Threading:</b> {@link GuestContext#cancelService()} from any thread; the rest on the test
 * thread, or on the one thread that plays the loop.
 */
class TestServiceThread implements ServiceThread {

    final AtomicInteger wakeups = new AtomicInteger();
    private final List<ConnectionHandler> bound = new CopyOnWriteArrayList<>();
    private volatile Thread loopThread = Thread.currentThread();
    private final GuestContext context = new GuestContext() {
        @Override
        public List<ServiceThread> serviceThreads() {
            return List.of(TestServiceThread.this);
        }

        @Override
        public String backendName() {
            return "test";
        }

        @Override
        public List<Listener> listeners() {
            return List.of();
        }

        @Override
        public void cancelService() {
            TestServiceThread.this.cancelService();
        }

        @Override
        public CompletionStage<Void> close() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public java.nio.channels.spi.SelectorProvider channelProvider() {
            return java.nio.channels.spi.SelectorProvider.provider();
        }

        @Override
        public CompletionStage<Void> shutdown(Duration grace) {
            return close();
        }

        @Override
        public CompletionStage<Void> closed() {
            return new CompletableFuture<>();
        }

        @Override
        public void run() {
            throw new IllegalStateException("not a runnable context");
        }
    };

    /** The thread's door: counts, then wakes. Any thread. */
    @Override
    public void cancelService() {
        wakeups.incrementAndGet();
        onWakeup();
    }

    /** Called on every wake-up, from the waking thread; a threaded loop overrides it. */
    void onWakeup() {
    }

    /** Makes {@code thread} the one that counts as the loop thread. */
    void loopThread(Thread thread) {
        this.loopThread = thread;
    }

    /** One dispatch: every bound handler hears {@code onEventWaitCancelled}, as the core does it. */
    void dispatch() {
        for (ConnectionHandler h : bound) {
            h.onEventWaitCancelled(this);
        }
    }

    int boundHandlers() {
        return bound.size();
    }

    @Override
    public GuestContext context() {
        return context;
    }

    @Override
    public int index() {
        return 0;
    }

    @Override
    public String name() {
        return "test-service-thread";
    }

    @Override
    public boolean inLoop() {
        return Thread.currentThread() == loopThread;
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        throw new UnsupportedOperationException("no timers here");
    }

    @Override
    public Listener listen(SocketAddress address, ConnectionHandler handler) {
        throw new UnsupportedOperationException("no sockets here");
    }

    @Override
    public Connection connect(SocketAddress address, Duration timeout, ConnectionHandler handler) throws IOException {
        throw new UnsupportedOperationException("no sockets here");
    }

    @Override
    public Connection adopt(SelectableChannel channel, ConnectionHandler handler) {
        throw new UnsupportedOperationException("no sockets here");
    }

    @Override
    public Listener listen(SocketAddress address, io.guestloop.tls.ServerTls tls, ConnectionHandler handler) {
        throw new UnsupportedOperationException("no sockets here");
    }

    @Override
    public Connection connect(SocketAddress address, Duration timeout, io.guestloop.tls.ClientTls tls, ConnectionHandler handler) {
        throw new UnsupportedOperationException("no sockets here");
    }

    @Override
    public Connection adopt(SelectableChannel channel, io.guestloop.tls.TlsConfig tls, ConnectionHandler handler) {
        throw new UnsupportedOperationException("no sockets here");
    }

    @Override
    public void bind(ConnectionHandler handler) {
        bound.add(handler);
    }

    @Override
    public void unbind(ConnectionHandler handler) {
        bound.remove(handler);
    }
}
