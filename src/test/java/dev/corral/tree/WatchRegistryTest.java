package dev.corral.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.tree.TreeChange.EventType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WatchRegistryTest {
    private static final long A = 0xA;
    private static final long B = 0xB;

    private final WatchRegistry registry = new WatchRegistry(1000, 0);
    private final Map<Long, List<TreeChange>> received = new HashMap<>();
    private long zxid;

    private List<TreeChange> listen(long session) {
        List<TreeChange> got = received.computeIfAbsent(session, s -> new ArrayList<>());
        registry.journal(session).attach(-1, got::add);
        return got;
    }

    private TreeChange change(EventType type, String path) {
        TreeChange c = new TreeChange(type, path, ++zxid);
        registry.dispatch(List.of(c));
        return c;
    }

    @Test
    void dataWatchFiresOnceOnCreate() {
        List<TreeChange> got = listen(A);
        registry.add(A, "/a", WatchKind.DATA);
        TreeChange created = change(EventType.NodeCreated, "/a");
        change(EventType.NodeDataChanged, "/a");
        change(EventType.NodeDeleted, "/a");
        assertEquals(List.of(created), got);
        assertFalse(registry.has(A, "/a", WatchKind.DATA));
        assertEquals(0, registry.count());
    }

    @Test
    void dataWatchFiresOnceOnDataChangeAndOnDelete() {
        List<TreeChange> got = listen(A);
        registry.add(A, "/a", WatchKind.DATA);
        TreeChange changed = change(EventType.NodeDataChanged, "/a");
        change(EventType.NodeDataChanged, "/a");
        registry.add(A, "/a", WatchKind.DATA);
        TreeChange deleted = change(EventType.NodeDeleted, "/a");
        change(EventType.NodeCreated, "/a");
        assertEquals(List.of(changed, deleted), got);
    }

    @Test
    void dataWatchIgnoresChildChangesAndOtherPaths() {
        List<TreeChange> got = listen(A);
        registry.add(A, "/a", WatchKind.DATA);
        change(EventType.NodeChildrenChanged, "/a");
        change(EventType.NodeDataChanged, "/a/b");
        change(EventType.NodeDataChanged, "/ab");
        assertEquals(List.of(), got);
        assertTrue(registry.has(A, "/a", WatchKind.DATA));
    }

    @Test
    void childWatchFiresOnChildChangesAndOnDeletionOfItsNode() {
        List<TreeChange> got = listen(A);
        registry.add(A, "/p", WatchKind.CHILD);
        change(EventType.NodeDataChanged, "/p");
        change(EventType.NodeCreated, "/p");
        TreeChange childAdded = change(EventType.NodeChildrenChanged, "/p");
        change(EventType.NodeChildrenChanged, "/p");
        registry.add(A, "/p", WatchKind.CHILD);
        TreeChange deleted = change(EventType.NodeDeleted, "/p");
        assertEquals(List.of(childAdded, deleted), got);
        assertEquals(0, registry.count());
    }

    @Test
    void persistentWatchSeesAllFourEventTypesOnItsPathAndStays() {
        List<TreeChange> got = listen(A);
        registry.add(A, "/a", WatchKind.PERSISTENT);
        TreeChange created = change(EventType.NodeCreated, "/a");
        TreeChange changed = change(EventType.NodeDataChanged, "/a");
        TreeChange children = change(EventType.NodeChildrenChanged, "/a");
        change(EventType.NodeCreated, "/a/b");
        change(EventType.NodeDataChanged, "/a/b");
        TreeChange deleted = change(EventType.NodeDeleted, "/a");
        TreeChange again = change(EventType.NodeCreated, "/a");
        assertEquals(List.of(created, changed, children, deleted, again), got);
        assertTrue(registry.has(A, "/a", WatchKind.PERSISTENT));
        assertEquals(1, registry.count());
    }

    @Test
    void recursiveWatchSeesCreatedDeletedAndChangedAtOrBelowButNotChildrenChanged() {
        List<TreeChange> got = listen(A);
        registry.add(A, "/a", WatchKind.PERSISTENT_RECURSIVE);
        TreeChange self = change(EventType.NodeCreated, "/a");
        TreeChange deep = change(EventType.NodeCreated, "/a/b/c");
        change(EventType.NodeChildrenChanged, "/a/b");
        change(EventType.NodeChildrenChanged, "/a");
        TreeChange changed = change(EventType.NodeDataChanged, "/a/b");
        change(EventType.NodeDataChanged, "/ab");
        change(EventType.NodeCreated, "/");
        change(EventType.NodeDataChanged, "/b/a");
        TreeChange deleted = change(EventType.NodeDeleted, "/a/b/c");
        TreeChange selfDeleted = change(EventType.NodeDeleted, "/a");
        assertEquals(List.of(self, deep, changed, deleted, selfDeleted), got);
        assertTrue(registry.has(A, "/a", WatchKind.PERSISTENT_RECURSIVE));
    }

    @Test
    void recursiveWatchOnTheRootSeesEverything() {
        List<TreeChange> got = listen(A);
        registry.add(A, "/", WatchKind.PERSISTENT_RECURSIVE);
        TreeChange c1 = change(EventType.NodeCreated, "/x");
        TreeChange c2 = change(EventType.NodeDataChanged, "/x/y/z");
        change(EventType.NodeChildrenChanged, "/");
        assertEquals(List.of(c1, c2), got);
    }

    @Test
    void sessionGetsOneEventPerChangeHoweverManyWatchesMatch() {
        List<TreeChange> gotA = listen(A);
        List<TreeChange> gotB = listen(B);
        registry.add(A, "/a", WatchKind.DATA);
        registry.add(A, "/a", WatchKind.CHILD);
        registry.add(A, "/a", WatchKind.PERSISTENT);
        registry.add(A, "/a", WatchKind.PERSISTENT_RECURSIVE);
        registry.add(A, "/", WatchKind.PERSISTENT_RECURSIVE);
        registry.add(B, "/a", WatchKind.DATA);
        assertEquals(6, registry.count());
        TreeChange changed = change(EventType.NodeDataChanged, "/a");
        assertEquals(List.of(changed), gotA);
        assertEquals(List.of(changed), gotB);
        assertFalse(registry.has(A, "/a", WatchKind.DATA), "a one-shot watch is used up even when another watch delivered");
        assertTrue(registry.has(A, "/a", WatchKind.CHILD));
        TreeChange deleted = change(EventType.NodeDeleted, "/a");
        assertEquals(List.of(changed, deleted), gotA);
        assertFalse(registry.has(A, "/a", WatchKind.CHILD));
        assertEquals(3, registry.count());
    }

    @Test
    void addingTheSameWatchTwiceCountsOnce() {
        registry.add(A, "/a", WatchKind.DATA);
        registry.add(A, "/a", WatchKind.DATA);
        assertEquals(1, registry.count());
        assertTrue(registry.remove(A, "/a", Set.of(WatchKind.DATA)));
        assertEquals(0, registry.count());
    }

    @Test
    void removeReportsWhetherAnyWatchMatched() {
        registry.add(A, "/a", WatchKind.DATA);
        registry.add(A, "/a", WatchKind.PERSISTENT_RECURSIVE);
        assertFalse(registry.remove(A, "/b", EnumSet.allOf(WatchKind.class)));
        assertFalse(registry.remove(B, "/a", EnumSet.allOf(WatchKind.class)));
        assertFalse(registry.remove(A, "/a", Set.of(WatchKind.CHILD, WatchKind.PERSISTENT)));
        assertFalse(registry.remove(A, "/a", Set.of()));
        assertEquals(2, registry.count());
        assertTrue(registry.remove(A, "/a", Set.of(WatchKind.PERSISTENT_RECURSIVE, WatchKind.CHILD)));
        assertEquals(1, registry.count());
        assertFalse(registry.remove(A, "/a", Set.of(WatchKind.PERSISTENT_RECURSIVE)));
        List<TreeChange> got = listen(A);
        change(EventType.NodeCreated, "/a/b");
        assertEquals(List.of(), got, "a removed recursive watch no longer fires");
        assertTrue(registry.has(A, "/a", WatchKind.DATA));
    }

    @Test
    void dropSessionRemovesEveryWatchAndTheJournal() {
        List<TreeChange> gotB = listen(B);
        registry.add(A, "/a", WatchKind.DATA);
        registry.add(A, "/b", WatchKind.CHILD);
        registry.add(A, "/", WatchKind.PERSISTENT_RECURSIVE);
        registry.add(B, "/a", WatchKind.DATA);
        EventJournal journal = registry.journal(A);
        change(EventType.NodeCreated, "/z");
        assertEquals(1, journal.size());
        registry.dropSession(A);
        assertEquals(1, registry.count());
        for (String path : List.of("/a", "/b", "/")) {
            for (WatchKind kind : WatchKind.values()) assertFalse(registry.has(A, path, kind));
        }
        EventJournal fresh = registry.journal(A);
        assertNotSame(journal, fresh);
        assertEquals(0, fresh.size());
        TreeChange c = change(EventType.NodeDataChanged, "/a");
        change(EventType.NodeCreated, "/y");
        assertEquals(0, fresh.size());
        assertEquals(List.of(c), gotB);
    }

    @Test
    void changesFromAppliedTransactionsReachTheRightWatches() {
        TreeHarness h = new TreeHarness();
        h.created("/p");
        List<TreeChange> got = listen(A);
        registry.add(A, "/p", WatchKind.CHILD);
        registry.add(A, "/p/c", WatchKind.DATA);
        registry.add(B, "/", WatchKind.CHILD);
        List<TreeChange> gotB = listen(B);
        h.created("/p/c");
        registry.dispatch(h.lastChanges);
        assertEquals(h.lastChanges, got);
        h.ok(new Op.Delete("/p/c", -1));
        registry.dispatch(h.lastChanges);
        assertEquals(2, got.size(), "both one-shot watches were used by the create");
        h.ok(new Op.Delete("/p", -1));
        registry.dispatch(h.lastChanges);
        assertEquals(List.of(new TreeChange(EventType.NodeChildrenChanged, "/", h.state.lastZxid())), gotB);
    }
}
