package io.guestloop.demo;

/**
 * The messages the server sends to chat members, each one JSON object with a {@code type}:
 * {@code welcome} (who you are, which backend and service thread serve you, the native endpoint's
 * port or null), {@code chat} (a line from a member), {@code join}/{@code leave}, and {@code time}
 * (the server clock). JSON so that the page, the tests and any client can read them without a
 * parser of ours; built by hand because the demo needs nothing more than string escaping.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
final class ChatJson {

    private ChatJson() {
    }

    static String welcome(String you, String backend, String thread, int threadIndex, int threads, int nativePort) {
        return "{\"type\":\"welcome\",\"you\":" + quote(you) + ",\"backend\":" + quote(backend)
                + ",\"thread\":" + quote(thread) + ",\"threadIndex\":" + threadIndex + ",\"threads\":" + threads
                + ",\"nativePort\":" + (nativePort > 0 ? Integer.toString(nativePort) : "null") + "}";
    }

    static String chat(String from, String thread, String text) {
        return "{\"type\":\"chat\",\"from\":" + quote(from) + ",\"thread\":" + quote(thread) + ",\"text\":" + quote(text) + "}";
    }

    static String join(String who) {
        return "{\"type\":\"join\",\"who\":" + quote(who) + "}";
    }

    static String leave(String who) {
        return "{\"type\":\"leave\",\"who\":" + quote(who) + "}";
    }

    static String time(String text) {
        return "{\"type\":\"time\",\"text\":" + quote(text) + "}";
    }

    /** {@code s} as a JSON string literal; control characters and lone surrogates become escapes. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    // '<' escaped too, so a line can never close a script element if a page inlines it.
                    if (c < 0x20 || c == '<' || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c)) {
                        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                            b.append(c).append(s.charAt(++i));
                        } else {
                            b.append(String.format("\\u%04x", (int) c));
                        }
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
