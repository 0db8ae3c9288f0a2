package io.guestloop.nio;

import io.guestloop.GuestContext;
import io.guestloop.spi.LoopOps;
import io.guestloop.spi.LoopOptions;
import io.guestloop.tck.BackendFixture;

/**
 * The conformance kit's view of the {@code nio} backend: it owns its threads, so it can give a context
 * any number of them and has no host loop to inspect or shut down.
 *
 * <p><b>Threading:</b> test thread only.
 */
final class NioFixture implements BackendFixture {

    @Override
    public String backendName() {
        return NioLoopOpsProvider.NAME;
    }

    @Override
    public int maxServiceThreads() {
        return Integer.MAX_VALUE;
    }

    @Override
    public LoopOps createLoopOps(int serviceThreads) {
        return new NioLoopOpsProvider().create(LoopOptions.owned(serviceThreads));
    }

    @Override
    public GuestContext.Builder contextBuilder(int serviceThreads) {
        return GuestContext.builder().serviceThreads(serviceThreads);
    }

    @Override
    public boolean borrowsHostLoop() {
        return false;
    }

    @Override
    public void close() {
        // Nothing of its own: every LoopOps it made is closed by the kit.
    }
}
