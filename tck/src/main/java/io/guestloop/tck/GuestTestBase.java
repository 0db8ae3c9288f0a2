package io.guestloop.tck;

import io.guestloop.GuestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Shared set-up of the guest-layer contracts: a fresh {@link BackendFixture} per test, guest
 * contexts built on it, and blocking client sockets, all released after the test.
 *
 * <p><b>Threading:</b> JUnit calls everything here on the test thread.
 */
public abstract class GuestTestBase {

    /** 127.0.0.1, port chosen by the OS. */
    protected static final SocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    private final List<AutoCloseable> toClose = new ArrayList<>();
    /** The fixture of the running test. */
    protected BackendFixture fixture;

    /** The backend under test; a new fixture for every test. */
    protected abstract BackendFixture newFixture();

    @BeforeEach
    void createFixture() {
        fixture = newFixture();
    }

    @AfterEach
    void releaseEverything() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception | AssertionError e) {
                // keep releasing; a failing test already reports its own cause
            }
        }
        toClose.clear();
        fixture.close();
    }

    /** A started context on the fixture with {@code threads} service threads. */
    protected GuestHarness harness(int threads) {
        return harness(threads, b -> { });
    }

    /** A started context on the fixture, with {@code settings} applied to its builder. */
    protected GuestHarness harness(int threads, Consumer<GuestContext.Builder> settings) {
        GuestContext.Builder b = fixture.contextBuilder(threads);
        settings.accept(b);
        GuestHarness h = GuestHarness.start(b, threads);
        toClose.add(h);
        return h;
    }

    /** The most threads this backend offers, but no more than {@code wanted}. */
    protected int threadsUpTo(int wanted) {
        return Math.min(wanted, fixture.maxServiceThreads());
    }

    /** A connected blocking client socket, closed after the test. */
    protected Socket client(SocketAddress address) throws IOException {
        Socket s = new Socket();
        toClose.add(s);
        s.connect(address, (int) Timeouts.AWAIT.toMillis());
        s.setSoTimeout((int) Timeouts.AWAIT.toMillis());
        s.setTcpNoDelay(true);
        return s;
    }

    /** Registers {@code resource} to be closed after the test. */
    protected <T extends AutoCloseable> T closeLater(T resource) {
        toClose.add(resource);
        return resource;
    }

    /** Reads exactly {@code n} bytes, failing on end of stream. */
    protected static byte[] readFully(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new AssertionError("stream ended after " + b.length + " of " + n + " bytes");
        }
        return b;
    }

    /**
     * {@code sent}, written to {@code s} from another thread while this one reads (so that neither side
     * waits on a full socket buffer), comes back whole and in order.
     */
    protected static void assertEchoesWhole(Socket s, byte[] sent) throws IOException {
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                s.getOutputStream().write(sent);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertArrayEquals(sent, readFully(s.getInputStream(), sent.length));
        Timeouts.await(writer, "the client to write");
    }

    /** A recognisable pattern: byte {@code i} of a stream is {@code i % 251}. */
    protected static byte[] pattern(long offset, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ((offset + i) % 251);
        }
        return b;
    }
}
