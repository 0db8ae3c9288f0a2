package io.guestloop.websocket.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The value of {@code Sec-WebSocket-Extensions} (RFC 6455 section 9.1) as a list of extensions,
 * each a name and its parameters in order: {@code name *( ";" param [ "=" (token | quoted-string) ] )},
 * elements separated by commas (empty elements allowed, as HTTP lists allow them), a quoted value
 * unescaped and required to be a token. Several header fields arrive already joined with
 * {@code ", "} by {@link HttpHeadParser}, which is the same list.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
final class ExtensionHeader {

    /** One parameter; {@code value} is null when it has none. */
    record Param(String name, String value) {
    }

    /** One element of the list. */
    record Extension(String name, List<Param> params) {
    }

    private final String text;
    private int pos;

    private ExtensionHeader(String text) {
        this.text = text;
    }

    /**
     * @throws MalformedHttpException naming the first character that does not fit the grammar
     */
    static List<Extension> parse(String header) throws MalformedHttpException {
        return new ExtensionHeader(header).list();
    }

    private List<Extension> list() throws MalformedHttpException {
        List<Extension> out = new ArrayList<>();
        while (true) {
            skipSpace();
            if (pos == text.length()) {
                return out;
            }
            if (text.charAt(pos) == ',') {
                pos++;
                continue;
            }
            out.add(extension());
            skipSpace();
            if (pos < text.length() && text.charAt(pos) != ',') {
                throw error("',' or the end");
            }
        }
    }

    private Extension extension() throws MalformedHttpException {
        String name = token("an extension name");
        List<Param> params = new ArrayList<>();
        skipSpace();
        while (pos < text.length() && text.charAt(pos) == ';') {
            pos++;
            skipSpace();
            String param = token("a parameter name");
            String value = null;
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == '=') {
                pos++;
                skipSpace();
                value = pos < text.length() && text.charAt(pos) == '"' ? quoted() : token("a parameter value");
                skipSpace();
            }
            params.add(new Param(param, value));
        }
        return new Extension(name, List.copyOf(params));
    }

    private String token(String what) throws MalformedHttpException {
        int start = pos;
        while (pos < text.length() && HttpHeadParser.isTokenChar(text.charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw error(what);
        }
        return text.substring(start, pos);
    }

    private String quoted() throws MalformedHttpException {
        pos++; // the opening quote
        StringBuilder value = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                if (value.isEmpty() || !HttpHeadParser.isToken(value.toString())) {
                    throw new MalformedHttpException("Sec-WebSocket-Extensions: quoted value \"" + value
                            + "\" is not a token (RFC 6455 section 9.1)");
                }
                return value.toString();
            }
            if (c == '\\' && pos < text.length()) {
                c = text.charAt(pos++);
            }
            value.append(c);
        }
        throw new MalformedHttpException("Sec-WebSocket-Extensions: quoted value not closed in '"
                + HandshakeRequest.abbreviate(text) + "'");
    }

    private void skipSpace() {
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
            pos++;
        }
    }

    private MalformedHttpException error(String expected) {
        String found = pos < text.length() ? "'" + text.charAt(pos) + "' at " + pos : "the end";
        return new MalformedHttpException("Sec-WebSocket-Extensions: expected " + expected + ", found " + found
                + " in '" + HandshakeRequest.abbreviate(text) + "'");
    }
}
