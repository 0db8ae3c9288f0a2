package io.guestloop.demo;

import io.guestloop.websocket.WebSocket;
import io.guestloop.websocket.WebSocketException;

import java.io.IOException;

/**
 * How the demo reports a connection's failure: a peer that vanished (a closed tab, a reset) is
 * routine for a public page and logged at DEBUG, a peer that broke the protocol at INFO, and only
 * a failure of the demo's own code at WARNING.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
final class PeerErrors {

    private static final System.Logger LOG = System.getLogger(PeerErrors.class.getName());

    private PeerErrors() {
    }

    static void report(WebSocket socket, Throwable error) {
        if (error instanceof IOException) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: the peer went away: {1}", socket, error);
        } else if (error instanceof WebSocketException) {
            LOG.log(System.Logger.Level.INFO, "{0}: the peer broke the protocol: {1}", socket, error.getMessage());
        } else {
            LOG.log(System.Logger.Level.WARNING, socket + " failed in the demo's own code", error);
        }
    }
}
