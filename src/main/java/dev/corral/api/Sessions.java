package dev.corral.api;

import java.util.Locale;

/** Session ids as ZooKeeper prints them: 16 lowercase hex digits. */
final class Sessions {
    private Sessions() {}

    static String format(long id) {
        return String.format(Locale.ROOT, "%016x", id);
    }

    /** Parses 16 hex digits (optionally {@code 0x}-prefixed); null or empty means "no session" (0). */
    static long parse(String s) {
        if (s == null || s.isEmpty()) return 0;
        String hex = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
        if (hex.isEmpty() || hex.length() > 16) throw ApiException.badArguments("session id must be 16 hex digits, got \"" + s + "\"", null);
        try {
            long id = Long.parseUnsignedLong(hex, 16);
            if (id == 0) throw ApiException.badArguments("session id 0 is not a session", null);
            return id;
        } catch (NumberFormatException e) {
            throw ApiException.badArguments("session id must be 16 hex digits, got \"" + s + "\"", null);
        }
    }
}
