package io.guestloop.websocket.internal;

import io.guestloop.websocket.WebSocketEndpoint;

import java.util.List;
import java.util.Map;

/**
 * What a server answers at each path: WebSocket endpoints with the subprotocols they speak, static
 * pages held in memory (never a file looked up from the request), and the origin check.
 *
 * <p><b>Threading:</b> immutable; any thread.
 *
 * @param endpoints   endpoints by exact path
 * @param pages       static pages by exact path
 * @param originCheck which {@code Origin} (null when absent) to accept, given the request's {@code Host}
 */
public record ServerRoutes(Map<String, Route> endpoints, Map<String, Page> pages, OriginCheck originCheck) {

    /** An endpoint and the subprotocols it accepts, in order of preference. */
    public record Route(WebSocketEndpoint endpoint, List<String> subprotocols) {
    }

    /** A static page. */
    public record Page(String contentType, byte[] body) {
    }

    public ServerRoutes {
        endpoints = Map.copyOf(endpoints);
        pages = Map.copyOf(pages);
    }
}
