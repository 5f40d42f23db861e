package dev.corral.client;

import java.nio.charset.StandardCharsets;

/**
 * Znode paths and query values in URLs. A znode path maps onto the URL's path ({@code /v1/nodes/a/b} is {@code /a/b}),
 * so its slashes stay; every other byte but the URI's unreserved characters is percent-encoded as UTF-8, which the
 * node decodes back to exactly the path given. The node checks the path itself.
 */
final class UrlPaths {
    private UrlPaths() {}

    /** {@code path} for the URL's path: slashes kept, everything else outside [A-Za-z0-9-._~] percent-encoded. */
    static String path(String path) {
        if (path == null || path.isEmpty() || path.charAt(0) != '/') {
            throw new CorralException.BadArgumentsException("a znode path must start with /", path, java.util.List.of(), -1);
        }
        return encode(path, true);
    }

    /** {@code value} for a query: everything outside [A-Za-z0-9-._~] percent-encoded. */
    static String query(String value) {
        return encode(value, false);
    }

    private static String encode(String s, boolean keepSlash) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
                    || keepSlash && c == '/') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
