package io.guestloop.nio;

import io.guestloop.GuestContext;
import io.guestloop.spi.LoopOps;
import io.guestloop.spi.LoopOptions;
import io.guestloop.tck.BackendFixture;

/**
 * What the conformance kit needs to run the nio backend: it owns its threads, so any number of
 * service threads and no host loop to inspect.
 *
 * <p><b>Threading:</b> called from the test thread.
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
        return new NioLoopOpsProvider().create(new LoopOptions(null, serviceThreads, false));
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
        // Every backend and context the kit makes is closed by the kit; nio leaves nothing else behind.
    }
}
