package io.guestloop.internal;

import io.guestloop.spi.LoopOps;
import io.guestloop.spi.LoopOpsProvider;
import io.guestloop.spi.LoopOptions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackendSelectorTest {

    /** A provider that accepts host loops of one class (or null) with a given priority. */
    private record Fake(String name, int priority, Class<?> accepted) implements LoopOpsProvider {
        @Override
        public boolean accepts(Object hostLoop) {
            return accepted == null ? hostLoop == null : accepted.isInstance(hostLoop);
        }

        @Override
        public String describe() {
            return name + ": " + (accepted == null ? "no host loop" : "a " + accepted.getSimpleName());
        }

        @Override
        public LoopOps create(LoopOptions options) {
            throw new UnsupportedOperationException();
        }
    }

    private final Fake nio = new Fake("nio", 0, null);
    private final Fake strings = new Fake("strings", 10, String.class);
    private final Fake chars = new Fake("chars", 5, CharSequence.class);
    private final BackendSelector selector = new BackendSelector(List.of(nio, chars, strings));

    @Test
    void noHostLoopSelectsTheProviderThatOwnsItsLoop() {
        assertSame(nio, selector.select(null, null));
    }

    @Test
    void highestPriorityAmongAcceptingProvidersWins() {
        assertSame(strings, selector.select(null, "a host loop"));
        assertSame(chars, selector.select(null, new StringBuilder()));
    }

    @Test
    void aForcedNameWinsOverPriority() {
        assertSame(chars, selector.select("chars", "a host loop"));
    }

    @Test
    void unknownNameFailsListingEveryProviderAndTheJarToAdd() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> selector.select("netty", null));
        assertTrue(e.getMessage().contains("'netty'"), e.getMessage());
        assertTrue(e.getMessage().contains("nio: no host loop"), e.getMessage());
        assertTrue(e.getMessage().contains("strings: a String"), e.getMessage());
        assertTrue(e.getMessage().contains("guestloop-backend-netty"), e.getMessage());
    }

    @Test
    void hostLoopNobodyAcceptsFailsNamingItsType() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> selector.select(null, 42));
        assertTrue(e.getMessage().contains("java.lang.Integer"), e.getMessage());
        assertTrue(e.getMessage().contains("Providers found"), e.getMessage());
    }

    @Test
    void forcedProviderThatRefusesTheHostLoopFails() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> selector.select("strings", 42));
        assertTrue(e.getMessage().contains("does not accept"), e.getMessage());
    }

    @Test
    void noProviderAtAllSaysToAddTheNioJar() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new BackendSelector(List.of()).select(null, null));
        assertTrue(e.getMessage().contains("guestloop-backend-nio"), e.getMessage());
    }
}
