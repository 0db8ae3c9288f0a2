package io.guestloop.tck;

import java.io.IOException;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Everything one test made: the fixture, the backends and the channels. Closing the session closes
 * the backends first (so that no callback touches a channel being closed), then the channels, then
 * the fixture.
 *
 * <p><b>Threading:</b> test thread only.
 */
final class TckSession implements AutoCloseable {

    final BackendFixture fixture;
    private final List<LoopUnderTest> loops = new ArrayList<>();
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    TckSession(BackendFixture fixture) {
        this.fixture = fixture;
    }

    /** A new backend with {@code threads} service threads, not started. */
    LoopUnderTest newLoop(int threads) {
        LoopUnderTest loop = new LoopUnderTest(fixture.createLoopOps(threads), fixture.backendName());
        loops.add(loop);
        return loop;
    }

    /** A new backend with {@code threads} service threads, every one started. */
    LoopUnderTest startedLoop(int threads) {
        return newLoop(threads).start();
    }

    /**
     * Makes the channels the backend under test can watch: its {@code LoopOps.channelProvider()}
     * (the JDK's for a loop that watches {@code java.nio} channels). Only once a backend was made.
     */
    SelectorProvider channels() {
        if (loops.isEmpty()) {
            throw new IllegalStateException("make the backend (startedThread(), session().newLoop(...)) before its channels");
        }
        return loops.get(0).ops.channelProvider();
    }

    /** A connected loopback TCP pair whose near end the backend can watch, closed with the session. */
    SocketPair socketPair() throws IOException {
        return track(SocketPair.open(channels()));
    }

    /** Closes {@code resource} with the session, before the fixture. */
    <T extends AutoCloseable> T track(T resource) {
        resources.push(resource);
        return resource;
    }

    @Override
    public void close() {
        AssertionError failure = null;
        for (LoopUnderTest loop : loops) {
            try {
                loop.closeAndWait();
            } catch (AssertionError e) {
                failure = record(failure, e);
            }
        }
        for (AutoCloseable resource; (resource = resources.poll()) != null; ) {
            try {
                resource.close();
            } catch (Exception e) {
                failure = record(failure, new AssertionError("closing " + resource + " failed", e));
            }
        }
        try {
            fixture.close();
        } catch (RuntimeException e) {
            failure = record(failure, new AssertionError("closing the fixture failed", e));
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static AssertionError record(AssertionError first, AssertionError next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }
}
