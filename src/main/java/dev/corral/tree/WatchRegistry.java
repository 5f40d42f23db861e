package dev.corral.tree;

import dev.corral.txn.Acl;
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
 * <p>A watch never reveals what an ACL hides: each watch remembers the identities of the request that set it,
 * and a change reaches it only if those identities may READ through the change's ACL ({@link TreeChange#acl()}:
 * the znode's, the ACL a deleted znode had, the parent's for NodeChildrenChanged). A one-shot watch whose event is
 * withheld stays set. Events are filtered before they enter a journal, so a resumed stream replays only what
 * the session was allowed to see.
 *
 * <p>Watches are memory clients ask for, so they are bounded: at most {@code pathsPerSessionMax} watched paths
 * per session and {@code pathsMax} (path, session) pairs in all.
 *
 * <p>Thread-safe (one monitor). {@link #atomically} lets a reader look at the tree and register a watch
 * without a change slipping between the two, and lets the applier deliver events and publish the new state
 * as one step, so a client is sent the event before it can read the data that caused it.
 */
public final class WatchRegistry {
    /** The watch kinds (bits of {@link WatchKind}) one session has on one path, and who set them. */
    private static final class Watch {
        int bits;
        List<AuthId> ids;

        Watch(List<AuthId> ids) {
            this.ids = ids;
        }
    }

    /** Watches per path, per session. */
    private final Map<String, Map<Long, Watch>> byPath = new HashMap<>();
    /** Paths with recursive watches, for the ancestor walk. */
    private final Map<String, Set<Long>> recursive = new HashMap<>();
    private final Map<Long, Set<String>> pathsBySession = new HashMap<>();
    private final Map<Long, EventJournal> journals = new HashMap<>();
    private final int journalCapacity;
    /** The zxid this registry started at: events before it were never recorded here. */
    private final long startZxid;
    private final int pathsPerSessionMax;
    private final int pathsMax;
    private int watchCount;
    /** (path, session) pairs with at least one watch: the sum of the sizes of {@link #pathsBySession}'s sets. */
    private int watchedPaths;

    public WatchRegistry(int journalCapacity, long startZxid, int pathsPerSessionMax, int pathsMax) {
        this.journalCapacity = journalCapacity;
        this.startZxid = startZxid;
        this.pathsPerSessionMax = pathsPerSessionMax;
        this.pathsMax = pathsMax;
    }

    public WatchRegistry(int journalCapacity, long startZxid) {
        this(journalCapacity, startZxid, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    public synchronized <T> T atomically(Supplier<T> action) {
        return action.get();
    }

    /**
     * Sets a watch of {@code kind} on {@code path} for {@code sessionId}, set by a request with identities {@code ids}
     * (which replace those of earlier watches of the session on the same path). Returns false, changing nothing, if
     * the session already watches {@code pathsPerSessionMax} other paths, or all sessions together {@code pathsMax}.
     */
    public synchronized boolean add(long sessionId, String path, WatchKind kind, List<AuthId> ids) {
        Set<String> paths = pathsBySession.computeIfAbsent(sessionId, s -> new HashSet<>());
        if (!paths.contains(path) && (paths.size() >= pathsPerSessionMax || watchedPaths >= pathsMax)) {
            if (paths.isEmpty()) pathsBySession.remove(sessionId);
            return false;
        }
        Map<Long, Watch> sessions = byPath.computeIfAbsent(path, p -> new HashMap<>());
        Watch w = sessions.computeIfAbsent(sessionId, s -> new Watch(ids));
        w.ids = List.copyOf(ids);
        if ((w.bits & kind.bit()) == 0) {
            w.bits |= kind.bit();
            watchCount++;
            if (kind == WatchKind.PERSISTENT_RECURSIVE) recursive.computeIfAbsent(path, p -> new HashSet<>()).add(sessionId);
        }
        if (paths.add(path)) watchedPaths++;
        journal(sessionId);
        return true;
    }

    public int pathsPerSessionMax() {
        return pathsPerSessionMax;
    }

    public int pathsMax() {
        return pathsMax;
    }

    /** Removes the given kinds of the session's watches on {@code path}; returns false if there were none. */
    public synchronized boolean remove(long sessionId, String path, Set<WatchKind> kinds) {
        Map<Long, Watch> sessions = byPath.get(path);
        if (sessions == null) return false;
        Watch w = sessions.get(sessionId);
        if (w == null) return false;
        int mask = 0;
        for (WatchKind k : kinds) mask |= k.bit();
        int removed = w.bits & mask;
        if (removed == 0) return false;
        clearBits(sessionId, path, sessions, w, removed);
        return true;
    }

    private void clearBits(long sessionId, String path, Map<Long, Watch> sessions, Watch w, int bits) {
        int cleared = w.bits & bits;
        watchCount -= Integer.bitCount(cleared);
        w.bits &= ~bits;
        if ((cleared & WatchKind.PERSISTENT_RECURSIVE.bit()) != 0) {
            Set<Long> r = recursive.get(path);
            if (r != null && r.remove(sessionId) && r.isEmpty()) recursive.remove(path);
        }
        if (w.bits == 0) {
            sessions.remove(sessionId);
            if (sessions.isEmpty()) byPath.remove(path);
            Set<String> paths = pathsBySession.get(sessionId);
            if (paths != null && paths.remove(path)) watchedPaths--;
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
        Set<String> paths = pathsBySession.get(sessionId);
        if (paths != null) {
            for (String path : List.copyOf(paths)) {
                Map<Long, Watch> sessions = byPath.get(path);
                if (sessions == null) continue;
                Watch w = sessions.get(sessionId);
                if (w != null) clearBits(sessionId, path, sessions, w, w.bits);
            }
            pathsBySession.remove(sessionId);
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
                fireRecursive(change, notified);
            }
            touched.addAll(notified);
        }
        for (long s : touched) {
            EventJournal j = journals.get(s);
            if (j != null) j.endBatch();
        }
    }

    /** A watch a client had on another node, as ZooKeeper's SetWatches2 names them. */
    public enum RestoredKind { DATA, EXISTS, CHILD, PERSISTENT, PERSISTENT_RECURSIVE }

    /** One watch to restore. */
    public record Restored(String path, RestoredKind kind) {}

    /**
     * Restores the watches a session had on another node, which saw changes up to {@code lastZxid}, against
     * {@code state} (which has applied at least that), as ZooKeeper's server does for {@code setWatches} on reconnect:
     * a DATA watch whose znode is gone fires NodeDeleted, one whose data changed after {@code lastZxid} fires
     * NodeDataChanged; an EXISTS watch whose znode exists fires NodeCreated; a CHILD watch whose znode is gone fires
     * NodeDeleted, one whose children changed after {@code lastZxid} NodeChildrenChanged. A watch that fired is not set
     * (it was one-shot); the others, and every persistent one, are set with {@code ids}. Events carry {@code state}'s zxid
     * and reach the session only if {@code ids} may read the znode (a deletion: as an exists would tell anyone); a
     * withheld event leaves its watch set, as a live change does.
     *
     * <p>Returns the number of events fired, or -1, changing nothing, if the watches would take the session past its
     * quota of watched paths.
     */
    public synchronized int restore(long sessionId, List<AuthId> ids, long lastZxid, TreeState state, List<Restored> watches) {
        Set<String> had = pathsBySession.getOrDefault(sessionId, Set.of());
        Set<String> fresh = new HashSet<>();
        for (Restored w : watches) if (!had.contains(w.path())) fresh.add(w.path());
        if (had.size() + fresh.size() > pathsPerSessionMax || watchedPaths + fresh.size() > pathsMax) return -1;
        long zxid = state.lastZxid();
        int fired = 0;
        EventJournal journal = journal(sessionId);
        for (Restored w : watches) {
            Znode node = state.find(w.path());
            TreeChange event = switch (w.kind()) {
                case DATA -> node == null ? new TreeChange(TreeChange.EventType.NodeDeleted, w.path(), zxid, Acl.OPEN)
                        : node.mzxid() > lastZxid ? new TreeChange(TreeChange.EventType.NodeDataChanged, w.path(), zxid, node.acl()) : null;
                case EXISTS -> node != null ? new TreeChange(TreeChange.EventType.NodeCreated, w.path(), zxid, node.acl()) : null;
                case CHILD -> node == null ? new TreeChange(TreeChange.EventType.NodeDeleted, w.path(), zxid, Acl.OPEN)
                        : node.pzxid() > lastZxid ? new TreeChange(TreeChange.EventType.NodeChildrenChanged, w.path(), zxid, node.acl()) : null;
                case PERSISTENT, PERSISTENT_RECURSIVE -> null;
            };
            if (event != null && AclCheck.permits(event.acl(), Acl.READ, ids)) {
                journal.append(event);
                fired++;
                continue;
            }
            // Not fired, or withheld by the ACL (which leaves a one-shot watch set, as a live change does): set it.
            WatchKind kind = switch (w.kind()) {
                case DATA, EXISTS -> WatchKind.DATA;
                case CHILD -> WatchKind.CHILD;
                case PERSISTENT -> WatchKind.PERSISTENT;
                case PERSISTENT_RECURSIVE -> WatchKind.PERSISTENT_RECURSIVE;
            };
            add(sessionId, w.path(), kind, ids);
        }
        if (fired > 0) journal.endBatch();
        return fired;
    }

    /**
     * The served tree jumped from {@code before} to {@code after} without the transactions between: a follower installed
     * its leader's snapshot. Each watch is told what it would have seen, judged as ZooKeeper's {@code setWatches}
     * judges the watches of a client that reconnects with the last zxid it saw ({@code before.lastZxid()}):
     * a watched znode now missing is NodeDeleted; one that appeared, or was deleted and created again, is
     * NodeCreated (after NodeDeleted); one whose data changed since is NodeDataChanged; one whose children changed since
     * is NodeChildrenChanged. A recursive watch is judged for every znode below it in either tree. The events carry
     * {@code after}'s zxid and are filtered by ACL and consumed as one-shot watches as usual. Sessions that ended in
     * between (in {@code before}, not in {@code after}) are dropped with their last event, as a close would.
     *
     * <p>Cost: a look-up per watched path, and a walk of both trees below each recursive watch. Snapshot installs are
     * rare (a follower that fell behind the leader's compacted log).
     */
    public synchronized void dispatchJump(TreeState before, TreeState after) {
        long from = before.lastZxid();
        long zxid = after.lastZxid();
        for (long sessionId : List.copyOf(journals.keySet())) {
            if (before.session(sessionId) != null && after.session(sessionId) == null) dropSession(sessionId, zxid);
        }
        if (watchCount == 0) return;
        // Sorted, so that a parent's events come before its children's, as they would have.
        Set<String> paths = new java.util.TreeSet<>(byPath.keySet());
        for (String top : recursive.keySet()) {
            collectSubtree(before, top, paths);
            collectSubtree(after, top, paths);
        }
        List<TreeChange> changes = new ArrayList<>();
        for (String path : paths) {
            Znode was = before.find(path);
            Znode is = after.find(path);
            if (was == null && is == null) continue;
            if (is == null) {
                changes.add(new TreeChange(TreeChange.EventType.NodeDeleted, path, zxid, was.acl()));
                continue;
            }
            if (was != null && was.czxid() != is.czxid()) changes.add(new TreeChange(TreeChange.EventType.NodeDeleted, path, zxid, was.acl()));
            if (was == null || was.czxid() != is.czxid()) {
                changes.add(new TreeChange(TreeChange.EventType.NodeCreated, path, zxid, is.acl()));
                continue;
            }
            if (is.mzxid() > from) changes.add(new TreeChange(TreeChange.EventType.NodeDataChanged, path, zxid, is.acl()));
            if (is.pzxid() > from && byPath.containsKey(path)) {
                changes.add(new TreeChange(TreeChange.EventType.NodeChildrenChanged, path, zxid, is.acl()));
            }
        }
        dispatch(changes);
    }

    private static void collectSubtree(TreeState tree, String top, Set<String> into) {
        Znode root = tree.find(top);
        if (root == null) return;
        java.util.ArrayDeque<Map.Entry<String, Znode>> todo = new java.util.ArrayDeque<>();
        todo.add(Map.entry(top, root));
        while (!todo.isEmpty()) {
            Map.Entry<String, Znode> e = todo.poll();
            into.add(e.getKey());
            for (String name : e.getValue().childNames()) {
                todo.add(Map.entry(e.getKey().equals("/") ? "/" + name : e.getKey() + "/" + name, e.getValue().child(name)));
            }
        }
    }

    private void fireRecursive(TreeChange change, Set<Long> notified) {
        String p = change.path();
        while (true) {
            Set<Long> sessions = recursive.get(p);
            if (sessions != null) {
                Map<Long, Watch> watches = byPath.get(p);
                for (long s : sessions) {
                    if (!notified.contains(s) && mayRead(change, watches.get(s)) && notified.add(s)) journal(s).append(change);
                }
            }
            if (p.equals("/")) break;
            p = Paths.parent(p);
        }
    }

    private void fire(TreeChange change, String path, int kinds, Set<Long> notified) {
        Map<Long, Watch> sessions = byPath.get(path);
        if (sessions == null) return;
        int oneShot = WatchKind.DATA.bit() | WatchKind.CHILD.bit();
        for (Map.Entry<Long, Watch> e : new ArrayList<>(sessions.entrySet())) {
            Watch w = e.getValue();
            int matched = w.bits & kinds;
            if (matched == 0 || !mayRead(change, w)) continue;
            long sessionId = e.getKey();
            if (notified.add(sessionId)) journal(sessionId).append(change);
            if ((matched & oneShot) != 0) clearBits(sessionId, path, sessions, w, matched & oneShot);
        }
    }

    private static boolean mayRead(TreeChange change, Watch w) {
        return w != null && AclCheck.permits(change.acl(), Acl.READ, w.ids);
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
        Map<Long, Watch> sessions = byPath.get(path);
        Watch w = sessions == null ? null : sessions.get(sessionId);
        return w != null && (w.bits & kind.bit()) != 0;
    }

    public synchronized int count() {
        return watchCount;
    }
}
