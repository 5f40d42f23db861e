package dev.corral.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The watches this client has set, by path: which watcher to call for an event, and what to set again on a node that
 * does not know them (after a move to another node, or a {@code resync}).
 *
 * <p>A watch is entered before the request that sets it is sent, because the event it causes may arrive on the event
 * stream (another connection) before that request's answer; a request that fails removes it again. One-shot entries
 * go when an event triggers them, as in ZooKeeper: data and exists watches on created, deleted and data changed,
 * children watches on children changed and deleted. Thread-safe.
 */
final class WatchTable {
    /** The kind of a watch, as the restore request groups them. */
    enum Kind {
        /** One-shot, set on an existing znode by a data read or an exists. */
        DATA,
        /** One-shot, set by an exists on a missing znode. */
        EXISTS,
        /** One-shot, set by a children listing. */
        CHILD,
        /** Persistent on the path. */
        PERSISTENT,
        /** Persistent on the path and below. */
        PERSISTENT_RECURSIVE;

        boolean oneShot() {
            return this == DATA || this == EXISTS || this == CHILD;
        }
    }

    /**
     * One watcher on one path. {@code zxid}: the watch was judged against a tree at least this recent (the answer's
     * zxid once it arrives; the highest zxid seen before it was sent, until then).
     */
    static final class Entry {
        final String path;
        final Watcher watcher;
        Kind kind;
        long zxid;

        Entry(String path, Kind kind, Watcher watcher, long zxid) {
            this.path = path;
            this.kind = kind;
            this.watcher = watcher;
            this.zxid = zxid;
        }
    }

    /**
     * What a restore request sends: the watched paths by kind, and the zxid to judge one-shot watches against.
     *
     * @param lastZxid the restore's {@code lastZxid}
     */
    record Restore(long lastZxid, List<String> data, List<String> exists, List<String> children, List<String> persistent,
            List<String> persistentRecursive) {
        boolean isEmpty() {
            return data.isEmpty() && exists.isEmpty() && children.isEmpty() && persistent.isEmpty() && persistentRecursive.isEmpty();
        }
    }

    private final Map<String, List<Entry>> byPath = new HashMap<>();

    synchronized Entry add(String path, Kind kind, Watcher watcher, long zxid) {
        Entry e = new Entry(path, kind, watcher, zxid);
        byPath.computeIfAbsent(path, p -> new ArrayList<>()).add(e);
        return e;
    }

    /** The request that set {@code e} was answered at {@code zxid}; an exists answer also says which kind it is. */
    synchronized void confirm(Entry e, Kind kind, long zxid) {
        e.kind = kind;
        if (zxid > 0) e.zxid = zxid;
    }

    /** Removes {@code e} (its request failed), if an event has not already. */
    synchronized void remove(Entry e) {
        List<Entry> list = byPath.get(e.path);
        if (list == null) return;
        list.remove(e);
        if (list.isEmpty()) byPath.remove(e.path);
    }

    /** Removes every entry of {@code kinds} on {@code path}. */
    synchronized void removeAll(String path, Set<Kind> kinds) {
        List<Entry> list = byPath.get(path);
        if (list == null) return;
        list.removeIf(e -> kinds.contains(e.kind));
        if (list.isEmpty()) byPath.remove(path);
    }

    synchronized void clear() {
        byPath.clear();
    }

    synchronized boolean isEmpty() {
        return byPath.isEmpty();
    }

    /**
     * The watchers {@code event} triggers, each once however many of its watches match, in the order they were set;
     * one-shot entries it triggers are removed.
     */
    synchronized List<Watcher> trigger(WatchedEvent event) {
        Set<Watcher> out = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Watcher> ordered = new ArrayList<>();
        List<Entry> here = byPath.get(event.path());
        if (here != null) {
            for (Iterator<Entry> it = here.iterator(); it.hasNext(); ) {
                Entry e = it.next();
                if (!triggers(e.kind, event.type())) continue;
                if (out.add(e.watcher)) ordered.add(e.watcher);
                if (e.kind.oneShot()) it.remove();
            }
            if (here.isEmpty()) byPath.remove(event.path());
        }
        for (String p = parentOf(event.path()); p != null; p = parentOf(p)) {
            List<Entry> above = byPath.get(p);
            if (above == null) continue;
            for (Entry e : above) {
                if (e.kind == Kind.PERSISTENT_RECURSIVE && event.type() != EventType.NODE_CHILDREN_CHANGED && out.add(e.watcher)) {
                    ordered.add(e.watcher);
                }
            }
        }
        return ordered;
    }

    private static boolean triggers(Kind kind, EventType type) {
        return switch (kind) {
            case DATA, EXISTS -> type != EventType.NODE_CHILDREN_CHANGED;
            case CHILD -> type == EventType.NODE_CHILDREN_CHANGED || type == EventType.NODE_DELETED;
            case PERSISTENT -> true;
            case PERSISTENT_RECURSIVE -> type != EventType.NODE_CHILDREN_CHANGED;
        };
    }

    /** The parent path of {@code path}, or null for the root. */
    static String parentOf(String path) {
        if (path.equals("/")) return null;
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    /**
     * The watches to set again on a node that does not know them. The client has every event up to {@code cursor}; a
     * one-shot watch still here was not triggered up to then, nor before it was set, so judging every watch against
     * {@code max(cursor, the oldest one-shot watch's zxid)} fires each one whose znode changed in the gap (and perhaps,
     * harmlessly, one set later whose znode changed before it was set), and loses none.
     */
    synchronized Restore restore(long cursor) {
        Map<Kind, Set<String>> paths = new HashMap<>();
        for (Kind k : Kind.values()) paths.put(k, new LinkedHashSet<>());
        long oldestOneShot = Long.MAX_VALUE;
        for (List<Entry> list : byPath.values()) {
            for (Entry e : list) {
                paths.get(e.kind).add(e.path);
                if (e.kind.oneShot()) oldestOneShot = Math.min(oldestOneShot, e.zxid);
            }
        }
        long lastZxid = oldestOneShot == Long.MAX_VALUE ? cursor : Math.max(cursor, oldestOneShot);
        return new Restore(lastZxid, List.copyOf(paths.get(Kind.DATA)), List.copyOf(paths.get(Kind.EXISTS)),
                List.copyOf(paths.get(Kind.CHILD)), List.copyOf(paths.get(Kind.PERSISTENT)),
                List.copyOf(paths.get(Kind.PERSISTENT_RECURSIVE)));
    }
}
