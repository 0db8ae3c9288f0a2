/** The guestloop conformance kit: abstract contract tests a backend module extends. */
module io.guestloop.tck {
    requires transitive io.guestloop;
    requires transitive org.junit.jupiter.api;
    requires java.management;
    requires jdk.jfr;

    exports io.guestloop.tck;
    opens io.guestloop.tck to org.junit.platform.commons;
}
