package io.guestloop.netty;

import io.guestloop.Connection;
import io.guestloop.ConnectionHandler;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A guest echo server's handler that remembers which threads ran its callbacks and counts opens and
 * closes.
 *
 * <p><b>Threading:</b> callbacks on the guest's service threads; the records are read from the test
 * thread.
 */
final class EchoHandler implements ConnectionHandler {

    final Set<Thread> callbackThreads = ConcurrentHashMap.newKeySet();
    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();

    @Override
    public void onOpen(Connection connection) {
        callbackThreads.add(Thread.currentThread());
        opened.incrementAndGet();
    }

    @Override
    public void onData(Connection connection, ByteBuffer data) {
        callbackThreads.add(Thread.currentThread());
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data).flip();
        connection.write(copy);
    }

    @Override
    public void onClosed(Connection connection, Throwable cause) {
        callbackThreads.add(Thread.currentThread());
        closed.incrementAndGet();
    }
}
