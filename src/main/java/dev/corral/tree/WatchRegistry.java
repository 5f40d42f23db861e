package dev.corral.tree;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The watches registered on this node, by session, and their delivery into each session's
 * {@link EventJournal}. Watches are node-local: they are not replicated and do not survive a restart.
 *
 * <p>Which watch sees which change follows ZooKeeper's {@code WatchManager}: a created, deleted or changed
 * znode fires DATA watches on it; a deleted znode fires CHILD watches on it; a child created or deleted fires
 * CHILD watches on the parent; PERSISTENT watches see all four kinds on their path; PERSISTENT_RECURSIVE
 * watches see created, deleted and changed znodes at or below their path. A session gets at most one event
 * per change, however many of its watches match.
 *
 * <p>Thread-safe (one monitor). {@link #atomically} lets a reader look at the tree and register a watch
 * without a change slipping between the two, and lets the applier deliver events and publish the new state
 * as one step, so a client is sent the event before it can read the data that caused it.
 */
public final class WatchRegistry {
    /** Watch bits (of {@link WatchKind}) per path, per session. */
    private final Map<String, Map<Long, Integer>> byPath = new HashMap<>();
    /** Paths with recursive watches, for the ancestor walk. */
    private final Map<String, Set<Long>> recursive = new HashMap<>();
    private final Map<Long, Set<String>> pathsBySession = new HashMap<>();
    private final Map<Long, EventJournal> journals = new HashMap<>();
    private final int journalCapacity;
    /** The zxid this registry started at: events before it were never recorded here. */
    private final long startZxid;
    private int watchCount;

    public WatchRegistry(int journalCapacity, long startZxid) {
        this.journalCapacity = journalCapacity;
        this.startZxid = startZxid;
    }

    public synchronized <T> T atomically(Supplier<T> action) {
        return action.get();
    }

    public synchronized void add(long sessionId, String path, WatchKind kind) {
        Map<Long, Integer> sessions = byPath.computeIfAbsent(path, p -> new HashMap<>());
        int bits = sessions.getOrDefault(sessionId, 0);
        if ((bits & kind.bit()) == 0) {
            sessions.put(sessionId, bits | kind.bit());
            watchCount++;
            if (kind == WatchKind.PERSISTENT_RECURSIVE) recursive.computeIfAbsent(path, p -> new HashSet<>()).add(sessionId);
        }
        pathsBySession.computeIfAbsent(sessionId, s -> new HashSet<>()).add(path);
        journal(sessionId);
    }

    /** Removes the given kinds of the session's watches on {@code path}; returns false if there were none. */
    public synchronized boolean remove(long sessionId, String path, Set<WatchKind> kinds) {
        Map<Long, Integer> sessions = byPath.get(path);
        if (sessions == null) return false;
        int bits = sessions.getOrDefault(sessionId, 0);
        int mask = 0;
        for (WatchKind k : kinds) mask |= k.bit();
        int removed = bits & mask;
        if (removed == 0) return false;
        clearBits(sessionId, path, sessions, removed);
        return true;
    }

    private void clearBits(long sessionId, String path, Map<Long, Integer> sessions, int bits) {
        int remaining = sessions.getOrDefault(sessionId, 0) & ~bits;
        watchCount -= Integer.bitCount(sessions.getOrDefault(sessionId, 0) & bits);
        if ((bits & WatchKind.PERSISTENT_RECURSIVE.bit()) != 0) {
            Set<Long> r = recursive.get(path);
            if (r != null && r.remove(sessionId) && r.isEmpty()) recursive.remove(path);
        }
        if (remaining == 0) {
            sessions.remove(sessionId);
            if (sessions.isEmpty()) byPath.remove(path);
            Set<String> paths = pathsBySession.get(sessionId);
            if (paths != null) paths.remove(path);
        } else {
            sessions.put(sessionId, remaining);
        }
    }

    /**
     * Forgets a session closed or expired at {@code zxid}: a last {@code None} event tells its stream, then
     * its watches and journal go.
     */
    public synchronized void dropSession(long sessionId, long zxid) {
        EventJournal j = journals.get(sessionId);
        if (j != null) {
            j.append(new TreeChange(TreeChange.EventType.None, null, zxid));
            j.endBatch();
        }
        dropSession(sessionId);
    }

    /** Forgets a session's watches and journal. */
    public synchronized void dropSession(long sessionId) {
        Set<String> paths = pathsBySession.remove(sessionId);
        if (paths != null) {
            for (String path : paths) {
                Map<Long, Integer> sessions = byPath.get(path);
                if (sessions == null) continue;
                Integer bits = sessions.get(sessionId);
                if (bits != null) clearBits(sessionId, path, sessions, bits);
            }
        }
        journals.remove(sessionId);
    }

    /**
     * Delivers {@code changes} (all from one or more applied transactions, in zxid order, every change of a
     * transaction included), then marks the end of the batch in each journal that got events.
     */
    public synchronized void dispatch(List<TreeChange> changes) {
        if (watchCount == 0) return;
        Set<Long> touched = new HashSet<>();
        for (TreeChange change : changes) {
            Set<Long> notified = new HashSet<>();
            switch (change.type()) {
                case None -> { }
                case NodeCreated, NodeDataChanged -> fire(change, change.path(), WatchKind.DATA.bit() | WatchKind.PERSISTENT.bit(), notified);
                case NodeDeleted -> fire(change, change.path(),
                        WatchKind.DATA.bit() | WatchKind.CHILD.bit() | WatchKind.PERSISTENT.bit(), notified);
                case NodeChildrenChanged -> fire(change, change.path(), WatchKind.CHILD.bit() | WatchKind.PERSISTENT.bit(), notified);
            }
            if (change.type() != TreeChange.EventType.NodeChildrenChanged && change.type() != TreeChange.EventType.None
                    && !recursive.isEmpty()) {
                String p = change.path();
                while (true) {
                    Set<Long> sessions = recursive.get(p);
                    if (sessions != null) {
                        for (long s : sessions) if (notified.add(s)) journal(s).append(change);
                    }
                    if (p.equals("/")) break;
                    p = Paths.parent(p);
                }
            }
            touched.addAll(notified);
        }
        for (long s : touched) {
            EventJournal j = journals.get(s);
            if (j != null) j.endBatch();
        }
    }

    private void fire(TreeChange change, String path, int kinds, Set<Long> notified) {
        Map<Long, Integer> sessions = byPath.get(path);
        if (sessions == null) return;
        int oneShot = WatchKind.DATA.bit() | WatchKind.CHILD.bit();
        for (Map.Entry<Long, Integer> e : new ArrayList<>(sessions.entrySet())) {
            int matched = e.getValue() & kinds;
            if (matched == 0) continue;
            long sessionId = e.getKey();
            if (notified.add(sessionId)) journal(sessionId).append(change);
            if ((matched & oneShot) != 0) clearBits(sessionId, path, sessions, matched & oneShot);
        }
    }

    /**
     * The session's journal, created if needed (a stream may connect before any watch exists). A new journal
     * counts as complete back to {@code startZxid}: before its first watch the session could not have had
     * events, but events from before this registry existed (before a restart) are unknown here.
     */
    public synchronized EventJournal journal(long sessionId) {
        return journals.computeIfAbsent(sessionId, s -> new EventJournal(journalCapacity, startZxid));
    }

    public synchronized boolean has(long sessionId, String path, WatchKind kind) {
        Map<Long, Integer> sessions = byPath.get(path);
        return sessions != null && (sessions.getOrDefault(sessionId, 0) & kind.bit()) != 0;
    }

    public synchronized int count() {
        return watchCount;
    }
}
