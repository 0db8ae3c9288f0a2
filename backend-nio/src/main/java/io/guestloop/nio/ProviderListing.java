package io.guestloop.nio;

import io.guestloop.spi.LoopOpsProvider;

import java.util.ServiceLoader;

/**
 * Prints every guestloop backend {@link ServiceLoader} finds, one per line: name, priority, the
 * module (or "unnamed module" on the class path) and what it accepts. Use it to check a deployment:
 *
 * <pre>{@code
 * java -p guestloop-api.jar:guestloop-backend-nio.jar -m io.guestloop.nio/io.guestloop.nio.ProviderListing
 * java -cp guestloop-api.jar:guestloop-backend-nio.jar io.guestloop.nio.ProviderListing
 * }</pre>
 *
 * <p><b>Threading:</b> a command-line program; {@link #main} runs on the caller.
 */
public final class ProviderListing {

    private ProviderListing() {
    }

    /** Lists the providers; exits with status 1 when there are none. */
    public static void main(String[] args) {
        int found = 0;
        for (LoopOpsProvider provider : ServiceLoader.load(LoopOpsProvider.class)) {
            Module module = provider.getClass().getModule();
            System.out.println(provider.name() + "\tpriority " + provider.priority() + "\t"
                    + (module.isNamed() ? "module " + module.getName() : "unnamed module") + "\t" + provider.describe());
            found++;
        }
        if (found == 0) {
            System.err.println("no io.guestloop.spi.LoopOpsProvider found: add a backend jar (guestloop-backend-nio is"
                    + " the default) to the class path or module path");
            System.exit(1);
        }
    }
}
