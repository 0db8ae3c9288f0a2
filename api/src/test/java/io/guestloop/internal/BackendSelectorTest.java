package io.guestloop.internal;

import io.guestloop.spi.LoopOps;
import io.guestloop.spi.LoopOpsProvider;
import io.guestloop.spi.LoopOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
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

    @ParameterizedTest(name = "{0} is in {1}")
    @CsvSource({
            "nio,    guestloop-backend-nio",
            "netty,  guestloop-backend-netty",
            "vertx,  guestloop-backend-vertx",
            "legacy, guestloop-backend-custom-example",
            "executor, guestloop-backend-executor"})
    void aShippedBackendNamedButNotFoundNamesItsJar(String name, String jar) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new BackendSelector(List.of()).select(name, null));
        assertTrue(e.getMessage().startsWith("No guestloop backend named '" + name + "'."), e.getMessage());
        assertTrue(e.getMessage().endsWith(" Add " + jar + " to the class path or module path."), e.getMessage());
    }

    @Test
    void anUnknownNameListsEveryShippedBackendWithItsJar() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> selector.select("uring", null));
        assertTrue(e.getMessage().contains("'uring'"), e.getMessage());
        assertTrue(e.getMessage().contains("nio (guestloop-backend-nio), netty (guestloop-backend-netty), "
                + "vertx (guestloop-backend-vertx), legacy (guestloop-backend-custom-example), executor (guestloop-backend-executor)"),
                e.getMessage());
        assertFalse(e.getMessage().contains("guestloop-backend-uring"), "no jar of that name exists: " + e.getMessage());
        assertFalse(e.getMessage().contains("guestloop-backend-legacy"), "no jar of that name exists: " + e.getMessage());
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
