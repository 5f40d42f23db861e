package dev.corral.config;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The voting members from {@code corral.members} ({@code 1=http://host:port,2=http://host:port}). Empty
 * means a cluster of one: this node alone.
 */
public record Members(Map<Integer, URI> urls) {

    public static Members parse(String spec, int selfId) {
        Map<Integer, URI> urls = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            urls.put(selfId, null);
            return new Members(Collections.unmodifiableMap(urls));
        }
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) continue;
            int eq = p.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("corral.members: expected id=url in '" + p + "'");
            int id;
            try {
                id = Integer.parseInt(p.substring(0, eq).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("corral.members: member id '" + p.substring(0, eq) + "' is not a number");
            }
            if (id < 1 || id > 254) throw new IllegalArgumentException("corral.members: member id " + id + " is outside 1..254");
            URI url;
            try {
                url = URI.create(p.substring(eq + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("corral.members: bad URL for member " + id + ": " + e.getMessage());
            }
            if (url.getScheme() == null || url.getHost() == null) {
                throw new IllegalArgumentException("corral.members: URL for member " + id + " needs a scheme and host: " + url);
            }
            if (urls.put(id, url) != null) throw new IllegalArgumentException("corral.members: member " + id + " is listed twice");
        }
        if (!urls.containsKey(selfId)) {
            throw new IllegalArgumentException("corral.members does not list this node (corral.node-id=" + selfId + ")");
        }
        return new Members(Collections.unmodifiableMap(urls));
    }

    public int size() {
        return urls.size();
    }

    public Set<Integer> ids() {
        return new TreeSet<>(urls.keySet());
    }
}
