package io.guestloop.nio;

import io.guestloop.spi.LoopOps;
import io.guestloop.spi.LoopOpsProvider;
import io.guestloop.spi.LoopOptions;
import io.guestloop.tck.Timeouts;
import org.junit.jupiter.api.Test;

import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the nio provider presents itself to backend selection. */
class NioLoopOpsProviderTest {

    @Test
    void serviceLoaderFindsNioOnTheClassPath() {
        LoopOpsProvider nio = ServiceLoader.load(LoopOpsProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("nio"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no provider named nio on the class path"));
        assertInstanceOf(NioLoopOpsProvider.class, nio);
    }

    @Test
    void acceptsOnlyTheAbsenceOfAHostLoop() {
        NioLoopOpsProvider provider = new NioLoopOpsProvider();
        assertTrue(provider.accepts(null));
        assertFalse(provider.accepts(new Object()));
    }

    @Test
    void priorityIsZeroSoEveryLoopSpecificBackendOutranksIt() {
        assertEquals(0, new NioLoopOpsProvider().priority());
    }

    @Test
    void createMakesABackendWithTheThreadsAskedFor() {
        LoopOps ops = new NioLoopOpsProvider().create(LoopOptions.owned(2));
        assertEquals(2, ops.threads().size());
        Timeouts.await(ops.close(), "close");
    }
}
