package dev.corral.config;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The members from {@code corral.members} (voters) and {@code corral.observers}, both {@code 1=http://host:port,2=…}.
 * Unset members mean a cluster of one: this node alone. This node must be listed in one of the two.
 *
 * @param urls      every member's base URL, voters and observers (null for this node in a cluster of one)
 * @param observers the ids of the observers among them
 */
public record Members(Map<Integer, URI> urls, Set<Integer> observers) {

    /** Voters only. */
    public static Members parse(String spec, int selfId) {
        return parse(spec, null, selfId);
    }

    public static Members parse(String votersSpec, String observersSpec, int selfId) {
        Map<Integer, URI> urls = new LinkedHashMap<>();
        boolean noVoters = votersSpec == null || votersSpec.isBlank();
        boolean noObservers = observersSpec == null || observersSpec.isBlank();
        if (noVoters) {
            if (!noObservers) throw new IllegalArgumentException("corral.observers is set but corral.members is not: observers need voters");
            urls.put(selfId, null);
            return new Members(Collections.unmodifiableMap(urls), Set.of());
        }
        parseInto(urls, "corral.members", votersSpec);
        Set<Integer> observers = new TreeSet<>();
        if (!noObservers) {
            Map<Integer, URI> obs = new LinkedHashMap<>();
            parseInto(obs, "corral.observers", observersSpec);
            for (Map.Entry<Integer, URI> e : obs.entrySet()) {
                if (urls.put(e.getKey(), e.getValue()) != null) {
                    throw new IllegalArgumentException("member " + e.getKey() + " is listed in both corral.members and corral.observers");
                }
                observers.add(e.getKey());
            }
        }
        if (!urls.containsKey(selfId)) {
            throw new IllegalArgumentException("corral.members" + (noObservers ? "" : " and corral.observers") + " do not list this node"
                    + " (corral.node-id=" + selfId + ")");
        }
        return new Members(Collections.unmodifiableMap(urls), Collections.unmodifiableSet(observers));
    }

    private static void parseInto(Map<Integer, URI> urls, String property, String spec) {
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) continue;
            int eq = p.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException(property + ": expected id=url in '" + p + "'");
            int id;
            try {
                id = Integer.parseInt(p.substring(0, eq).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(property + ": member id '" + p.substring(0, eq) + "' is not a number");
            }
            if (id < 1 || id > 254) throw new IllegalArgumentException(property + ": member id " + id + " is outside 1..254");
            URI url;
            try {
                url = URI.create(p.substring(eq + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(property + ": bad URL for member " + id + ": " + e.getMessage());
            }
            if (url.getScheme() == null || url.getHost() == null) {
                throw new IllegalArgumentException(property + ": URL for member " + id + " needs a scheme and host: " + url);
            }
            if (urls.put(id, url) != null) throw new IllegalArgumentException(property + ": member " + id + " is listed twice");
        }
    }

    /** Every member, voters and observers. */
    public int size() {
        return urls.size();
    }

    /** The voters' ids. */
    public Set<Integer> ids() {
        Set<Integer> voters = new TreeSet<>(urls.keySet());
        voters.removeAll(observers);
        return voters;
    }
}
