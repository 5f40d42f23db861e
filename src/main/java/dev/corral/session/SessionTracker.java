package dev.corral.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The leader's view of session liveness: when each session must next be heard from. Heartbeats (from any
 * node) push a session's deadline out by its timeout; a session past its deadline is reported once by
 * {@link #expired(long)} so that the leader can propose closing it.
 *
 * <p>Pure: the current time is passed in. Not thread-safe; owned by the node's core thread. A new leader
 * calls {@link #reset} with every session of the replicated state, giving each a full timeout, because it
 * cannot know when the old leader last heard from them (ZooKeeper does the same).
 */
public final class SessionTracker {
    private static final class Tracked {
        final int timeoutMs;
        long deadlineMs;
        boolean reported;

        Tracked(int timeoutMs, long deadlineMs) {
            this.timeoutMs = timeoutMs;
            this.deadlineMs = deadlineMs;
        }
    }

    private final Map<Long, Tracked> sessions = new HashMap<>();

    public void track(long sessionId, int timeoutMs, long nowMs) {
        sessions.put(sessionId, new Tracked(timeoutMs, nowMs + timeoutMs));
    }

    /** Records a heartbeat; returns false if the session is unknown here. */
    public boolean touch(long sessionId, long nowMs) {
        Tracked t = sessions.get(sessionId);
        if (t == null) return false;
        t.deadlineMs = Math.max(t.deadlineMs, nowMs + t.timeoutMs);
        t.reported = false;
        return true;
    }

    public void forget(long sessionId) {
        sessions.remove(sessionId);
    }

    public boolean isTracked(long sessionId) {
        return sessions.containsKey(sessionId);
    }

    /** Sessions past their deadline not yet reported; each is reported again only after a new heartbeat. */
    public List<Long> expired(long nowMs) {
        List<Long> out = new ArrayList<>();
        for (Map.Entry<Long, Tracked> e : sessions.entrySet()) {
            Tracked t = e.getValue();
            if (!t.reported && nowMs > t.deadlineMs) {
                t.reported = true;
                out.add(e.getKey());
            }
        }
        out.sort(null);
        return out;
    }

    /** Replaces the tracked set by {@code timeoutsById}, each session with a fresh deadline. */
    public void reset(Map<Long, Integer> timeoutsById, long nowMs) {
        sessions.clear();
        timeoutsById.forEach((id, timeout) -> track(id, timeout, nowMs));
    }

    public int size() {
        return sessions.size();
    }
}
