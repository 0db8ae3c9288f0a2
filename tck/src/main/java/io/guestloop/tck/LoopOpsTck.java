package io.guestloop.tck;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/**
 * The SPI conformance kit, first layer: contract tests for {@link io.guestloop.spi.LoopOps},
 * {@link io.guestloop.spi.LoopThread} and {@link io.guestloop.spi.Registration}, straight from their
 * Javadoc. A backend module runs every one of them by extending this class with a factory:
 *
 * <pre>{@code
 * class NioLoopOpsTckTest extends LoopOpsTck {
 *     protected BackendFixture newFixture() { return new NioFixture(); }
 * }
 * }</pre>
 *
 * <p>The tests are grouped in nested classes (thread affinity, registrations, readiness, timers,
 * wakeup, lifecycle, foreign loop, resilience, idle CPU). Each test gets a fresh fixture, closed
 * after it together with every backend and channel the test made. Tests reach a loop thread only
 * through {@link io.guestloop.spi.LoopThread#wakeup()}: they queue work, wake the loop and run the
 * work in {@code onWakeup}.
 *
 * <p><b>Threading:</b> JUnit runs the tests on its own thread; the fixture is created, used and
 * closed on that thread.
 */
public abstract class LoopOpsTck {

    private TckSession session;

    /** A new fixture for one test; closed after the test. Called on the test thread. */
    protected abstract BackendFixture newFixture();

    /** Makes the test's fixture; JUnit calls this before each test, including nested ones. */
    @BeforeEach
    protected final void openSession() {
        session = new TckSession(newFixture());
    }

    /** Closes every backend, channel and the fixture the test made. */
    @AfterEach
    protected final void closeSession() {
        TckSession closing = session;
        session = null;
        if (closing != null) {
            closing.close();
        }
    }

    @Nested
    @DisplayName("thread affinity")
    class ThreadAffinity extends ThreadAffinityContract {
        @Override
        TckSession session() {
            return session;
        }
    }

    @Nested
    @DisplayName("registrations")
    class Registrations extends RegistrationContract {
        @Override
        TckSession session() {
            return session;
        }
    }

    @Nested
    @DisplayName("readiness")
    class Readiness extends ReadinessContract {
        @Override
        TckSession session() {
            return session;
        }
    }

    @Nested
    @DisplayName("timers")
    class Timers extends TimerContract {
        @Override
        TckSession session() {
            return session;
        }
    }

    @Nested
    @DisplayName("wakeup")
    class Wakeup extends WakeupContract {
        @Override
        TckSession session() {
            return session;
        }
    }

    @Nested
    @DisplayName("lifecycle")
    class Lifecycle extends LifecycleContract {
        @Override
        TckSession session() {
            return session;
        }
    }

    @Nested
    @DisplayName("foreign loop")
    class ForeignLoop extends ForeignLoopContract {
        @Override
        TckSession session() {
            return session;
        }
    }

    @Nested
    @DisplayName("resilience")
    class Resilience extends ResilienceContract {
        @Override
        TckSession session() {
            return session;
        }
    }

    @Nested
    @DisplayName("idle CPU")
    class IdleCpu extends IdleCpuContract {
        @Override
        TckSession session() {
            return session;
        }
    }
}
