package dev.corral.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which web origins may send state-changing requests: the node's own (the host the request was sent to) and
 * those configured in {@code corral.http.allowed-origins}.
 *
 * <p>A browser attaches {@code Origin} to every cross-site POST, PUT and DELETE, including plain form posts
 * and no-cors fetches that need no preflight. Refusing a foreign Origin is what stops a page on another site
 * from writing through a user's browser, whatever Content-Type it sends (an empty POST needs none). Programs
 * send no Origin and are not affected.
 */
final class OriginPolicy {
    private final Set<String> allowed = new HashSet<>();

    OriginPolicy(List<String> allowedOrigins) {
        for (String o : allowedOrigins) {
            String n = normalized(o);
            if (!n.isEmpty()) allowed.add(n);
        }
    }

    /**
     * Null if a request carrying {@code origin} may act on the node it was sent to, else why not.
     *
     * @param origin the Origin header as sent
     * @param host the request's host ({@code Host} header or HTTP/2 authority) without the port, or null if none
     * @param port that authority's port, or -1 if it names none
     */
    String refusal(String origin, String host, int port) {
        String o = normalized(origin);
        if (allowed.contains(o)) return null;
        if (sameHost(o, host, port)) return null;
        return "cross-origin request refused: Origin " + shortened(origin) + " is not this node ("
                + (host == null ? "no Host header" : host + (port < 0 ? "" : ":" + port))
                + "); an operator can allow it with corral.http.allowed-origins";
    }

    /**
     * Whether the origin names the host the request was sent to. A Host without a port matches the origin's
     * scheme's default port (80 or 443), so that a node behind a TLS-terminating proxy that keeps Host still
     * accepts its own pages; an explicit port must be the origin's.
     */
    private static boolean sameHost(String origin, String host, int port) {
        if (host == null || origin.equals("null")) return false;
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            return false;
        }
        String scheme = uri.getScheme();
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())
                || !("http".equals(scheme) || "https".equals(scheme))) {
            return false;
        }
        int originPort = uri.getPort() >= 0 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
        if (!unbracketed(uri.getHost()).equalsIgnoreCase(unbracketed(host))) return false;
        return port < 0 ? originPort == 80 || originPort == 443 : port == originPort;
    }

    private static String normalized(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }

    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    static String shortened(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "…";
    }
}
