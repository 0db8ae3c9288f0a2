package io.guestloop.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

/**
 * The base of every group of contract tests: access to the test's {@link TckSession} and the
 * checks every group uses. {@link LoopOpsTck} nests one subclass per group, so that a backend runs
 * them all by extending {@code LoopOpsTck} alone.
 *
 * <p><b>Threading:</b> test methods run on the test thread.
 */
abstract class ContractGroup {

    /** The session of the running test, made by {@link LoopOpsTck} before each test. */
    abstract TckSession session();

    BackendFixture fixture() {
        return session().fixture;
    }

    /** A backend with one started service thread; returns that thread's probe. */
    ThreadProbe startedThread() {
        return session().startedLoop(1).probe(0);
    }

    /** Fails when any callback of {@code loop} broke the threading or after-close rules. */
    static void assertNoViolations(LoopUnderTest loop) {
        List<String> violations = loop.violations();
        assertEquals(List.of(), violations, "callbacks that broke the LoopThread threading contract");
    }

    /** Fails when any callback of {@code probe}'s thread broke the threading or after-close rules. */
    static void assertNoViolations(ThreadProbe probe) {
        assertEquals(List.of(), probe.violations(), "callbacks that broke the LoopThread threading contract");
    }
}
