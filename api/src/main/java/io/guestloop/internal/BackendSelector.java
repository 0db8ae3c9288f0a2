package io.guestloop.internal;

import io.guestloop.spi.LoopOpsProvider;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Picks the backend for a context, in the order the README's "Picking a backend" gives: a forced
 * name; else the highest-priority provider that accepts the host loop; else {@code nio}.
 *
 * <p><b>Threading:</b> immutable; any thread (called from {@code GuestContext.Builder.build()}).
 */
public final class BackendSelector {

    /** A backend guestloop ships, and the artifact that brings it. */
    private record Shipped(String name, String jar) {
        @Override
        public String toString() {
            return name + " (" + jar + ")";
        }
    }

    // The jar's name follows the backend's name except for legacy, whose jar says what it is: the
    // example of a custom backend.
    private static final List<Shipped> SHIPPED = List.of(
            new Shipped("nio", "guestloop-backend-nio"),
            new Shipped("netty", "guestloop-backend-netty"),
            new Shipped("vertx", "guestloop-backend-vertx"),
            new Shipped("legacy", "guestloop-backend-custom-example"),
            new Shipped("executor", "guestloop-backend-executor"));

    private final List<LoopOpsProvider> providers;

    /** A selector over {@code providers}, in the order found. */
    public BackendSelector(List<LoopOpsProvider> providers) {
        this.providers = List.copyOf(providers);
    }

    /** A selector over every provider {@link ServiceLoader} finds on the class path or module path. */
    public static BackendSelector fromServiceLoader() {
        List<LoopOpsProvider> found = new ArrayList<>();
        ServiceLoader.load(LoopOpsProvider.class, BackendSelector.class.getClassLoader()).forEach(found::add);
        if (found.isEmpty()) {
            // Application class loaders that differ from ours (containers, plugins) still count.
            ServiceLoader.load(LoopOpsProvider.class).forEach(found::add);
        }
        return new BackendSelector(found);
    }

    /**
     * @param forcedName a backend name that must be used, or null
     * @param hostLoop   the application's loop, or null
     * @return the provider to create the context's backend with
     * @throws IllegalStateException when none fits; the message lists what was found and what to add
     */
    public LoopOpsProvider select(String forcedName, Object hostLoop) {
        if (forcedName != null) {
            LoopOpsProvider named = byName(forcedName);
            if (named == null) {
                throw new IllegalStateException("No guestloop backend named '" + forcedName + "'. " + found()
                        + " " + whatToAdd(forcedName));
            }
            if (!named.accepts(hostLoop)) {
                throw new IllegalStateException("Backend '" + forcedName + "' does not accept the host loop "
                        + describe(hostLoop) + ". " + found());
            }
            return named;
        }
        LoopOpsProvider best = providers.stream()
                .filter(p -> p.accepts(hostLoop))
                .max(Comparator.comparingInt(LoopOpsProvider::priority))
                .orElse(null);
        if (best != null) {
            return best;
        }
        if (hostLoop == null) {
            throw new IllegalStateException("No guestloop backend found to run a loop of its own. " + found()
                    + " Add guestloop-backend-nio, the embedded default.");
        }
        throw new IllegalStateException("No guestloop backend accepts the host loop " + describe(hostLoop) + ". " + found()
                + " Add the jar of the backend for this loop (guestloop-backend-netty for Netty, guestloop-backend-vertx"
                + " for Vert.x, guestloop-backend-custom-example for its LegacyLoop, guestloop-backend-executor for a SerialHost),"
                + " or pass no host loop to run on nio.");
    }

    private static String whatToAdd(String name) {
        for (Shipped b : SHIPPED) {
            if (b.name().equals(name)) {
                return "Add " + b.jar() + " to the class path or module path.";
            }
        }
        return "guestloop's own backends are " + SHIPPED.stream().map(Shipped::toString).collect(Collectors.joining(", "))
                + "; a backend of another name comes in its author's jar: add that jar to the class path or module path.";
    }

    private LoopOpsProvider byName(String name) {
        for (LoopOpsProvider p : providers) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    private String found() {
        if (providers.isEmpty()) {
            return "No provider of io.guestloop.spi.LoopOpsProvider was found.";
        }
        return "Providers found: " + providers.stream().map(LoopOpsProvider::describe)
                .collect(Collectors.joining("; ")) + ".";
    }

    private static String describe(Object hostLoop) {
        return hostLoop == null ? "(none)" : "of type " + hostLoop.getClass().getName();
    }
}
