package io.guestloop.demo;

/**
 * Reads one string field of the flat JSON objects {@link ChatJson} writes, for the desktop client:
 * {@code "name":"value"} with the escapes {@link ChatJson#quote} produces. Not a JSON parser: it
 * knows the server's messages and nothing more.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
final class SimpleJson {

    private SimpleJson() {
    }

    /** The string value of field {@code name} in {@code json}, or null when there is none. */
    static String string(String json, String name) {
        String key = "\"" + name + "\":\"";
        int at = json.indexOf(key);
        if (at < 0) {
            return null;
        }
        StringBuilder value = new StringBuilder();
        for (int i = at + key.length(); i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"') {
                return value.toString();
            }
            if (c == '\\' && i + 1 < json.length()) {
                char e = json.charAt(++i);
                switch (e) {
                    case 'n' -> value.append('\n');
                    case 'r' -> value.append('\r');
                    case 't' -> value.append('\t');
                    case 'u' -> {
                        if (i + 4 >= json.length()) {
                            return null;
                        }
                        value.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                    default -> value.append(e);
                }
            } else {
                value.append(c);
            }
        }
        return null; // unterminated
    }
}
