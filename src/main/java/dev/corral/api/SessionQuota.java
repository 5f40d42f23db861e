package dev.corral.api;

import dev.corral.config.CorralConfig;
import dev.corral.node.Corral;
import dev.corral.tree.ErrorCode;
import dev.corral.tree.TreeState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Bounds the sessions one client address holds open through this node ({@code corral.limits.sessions-per-address}):
 * a session is replicated state every node keeps until it expires, so opening them must not be free for one
 * client. An open takes a slot before it is proposed (so a burst of opens cannot overshoot) and gives it back if
 * it fails; slots of sessions that have since closed or expired are reclaimed when the address opens again.
 */
@ApplicationScoped
public class SessionQuota {
    @Inject
    CorralConfig config;

    @Inject
    Corral corral;

    /** Per address: ids of the sessions opened from it (0 stands for an open still in flight, counted in {@link #pending}). */
    private final Map<String, Set<Long>> opened = new HashMap<>();
    private final Map<String, Integer> pending = new HashMap<>();

    /** Takes a slot for an open from {@code address}, or refuses with 503 THROTTLED_OP naming the limit. */
    public synchronized void reserve(String address) {
        int max = config.limits().sessionsPerAddress();
        Set<Long> ids = opened.get(address);
        if (ids != null) {
            TreeState state = corral.state();
            ids.removeIf(id -> state.session(id) == null);
            if (ids.isEmpty()) opened.remove(address);
        }
        int inUse = (ids == null ? 0 : ids.size()) + pending.getOrDefault(address, 0);
        if (inUse >= max) {
            throw new ApiException(429, ErrorCode.THROTTLED_OP, address + " already holds " + inUse + " open sessions through this node, the"
                    + " most one client address may (corral.limits.sessions-per-address); close some first", null, Map.of());
        }
        pending.merge(address, 1, Integer::sum);
    }

    /** Ends a reservation: {@code sessionId} is the session opened, or 0 if the open failed. */
    public synchronized void release(String address, long sessionId) {
        pending.computeIfPresent(address, (a, n) -> n > 1 ? n - 1 : null);
        if (sessionId != 0) opened.computeIfAbsent(address, a -> new HashSet<>()).add(sessionId);
    }
}
