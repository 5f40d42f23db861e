package dev.corral.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.tree.TreeChange.EventType;
import dev.corral.txn.Acl;
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
        registry.add(A, "/a", WatchKind.DATA, List.of());
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
        registry.add(A, "/a", WatchKind.DATA, List.of());
        TreeChange changed = change(EventType.NodeDataChanged, "/a");
        change(EventType.NodeDataChanged, "/a");
        registry.add(A, "/a", WatchKind.DATA, List.of());
        TreeChange deleted = change(EventType.NodeDeleted, "/a");
        change(EventType.NodeCreated, "/a");
        assertEquals(List.of(changed, deleted), got);
    }

    @Test
    void dataWatchIgnoresChildChangesAndOtherPaths() {
        List<TreeChange> got = listen(A);
        registry.add(A, "/a", WatchKind.DATA, List.of());
        change(EventType.NodeChildrenChanged, "/a");
        change(EventType.NodeDataChanged, "/a/b");
        change(EventType.NodeDataChanged, "/ab");
        assertEquals(List.of(), got);
        assertTrue(registry.has(A, "/a", WatchKind.DATA));
    }

    @Test
    void childWatchFiresOnChildChangesAndOnDeletionOfItsNode() {
        List<TreeChange> got = listen(A);
        registry.add(A, "/p", WatchKind.CHILD, List.of());
        change(EventType.NodeDataChanged, "/p");
        change(EventType.NodeCreated, "/p");
        TreeChange childAdded = change(EventType.NodeChildrenChanged, "/p");
        change(EventType.NodeChildrenChanged, "/p");
        registry.add(A, "/p", WatchKind.CHILD, List.of());
        TreeChange deleted = change(EventType.NodeDeleted, "/p");
        assertEquals(List.of(childAdded, deleted), got);
        assertEquals(0, registry.count());
    }

    @Test
    void persistentWatchSeesAllFourEventTypesOnItsPathAndStays() {
        List<TreeChange> got = listen(A);
        registry.add(A, "/a", WatchKind.PERSISTENT, List.of());
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
        registry.add(A, "/a", WatchKind.PERSISTENT_RECURSIVE, List.of());
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
        registry.add(A, "/", WatchKind.PERSISTENT_RECURSIVE, List.of());
        TreeChange c1 = change(EventType.NodeCreated, "/x");
        TreeChange c2 = change(EventType.NodeDataChanged, "/x/y/z");
        change(EventType.NodeChildrenChanged, "/");
        assertEquals(List.of(c1, c2), got);
    }

    @Test
    void sessionGetsOneEventPerChangeHoweverManyWatchesMatch() {
        List<TreeChange> gotA = listen(A);
        List<TreeChange> gotB = listen(B);
        registry.add(A, "/a", WatchKind.DATA, List.of());
        registry.add(A, "/a", WatchKind.CHILD, List.of());
        registry.add(A, "/a", WatchKind.PERSISTENT, List.of());
        registry.add(A, "/a", WatchKind.PERSISTENT_RECURSIVE, List.of());
        registry.add(A, "/", WatchKind.PERSISTENT_RECURSIVE, List.of());
        registry.add(B, "/a", WatchKind.DATA, List.of());
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
        registry.add(A, "/a", WatchKind.DATA, List.of());
        registry.add(A, "/a", WatchKind.DATA, List.of());
        assertEquals(1, registry.count());
        assertTrue(registry.remove(A, "/a", Set.of(WatchKind.DATA)));
        assertEquals(0, registry.count());
    }

    @Test
    void removeReportsWhetherAnyWatchMatched() {
        registry.add(A, "/a", WatchKind.DATA, List.of());
        registry.add(A, "/a", WatchKind.PERSISTENT_RECURSIVE, List.of());
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
        registry.add(A, "/a", WatchKind.DATA, List.of());
        registry.add(A, "/b", WatchKind.CHILD, List.of());
        registry.add(A, "/", WatchKind.PERSISTENT_RECURSIVE, List.of());
        registry.add(B, "/a", WatchKind.DATA, List.of());
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
        registry.add(A, "/p", WatchKind.CHILD, List.of());
        registry.add(A, "/p/c", WatchKind.DATA, List.of());
        registry.add(B, "/", WatchKind.CHILD, List.of());
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

    /** The class of ZooKeeper's CVE-2024-23944: a watch must not tell a session about a znode it may not read. */
    @Test
    void noWatchKindDeliversAChangeItsSetterMayNotRead() {
        TreeHarness h = new TreeHarness();
        List<AuthId> alice = List.of(new AuthId("digest", AclCheck.digestId("alice", "pw")));
        List<Acl> aliceOnly = List.of(new Acl(Acl.ALL, "digest", AclCheck.digestId("alice", "pw")));
        Caller aliceCaller = new Caller(0, alice);
        h.created("/open");
        List<TreeChange> anonymous = listen(A);
        List<TreeChange> owner = listen(B);
        for (long session : List.of(A, B)) {
            List<AuthId> ids = session == A ? List.of(new AuthId("ip", "10.0.0.1")) : alice;
            registry.add(session, "/", WatchKind.PERSISTENT_RECURSIVE, ids);
            registry.add(session, "/open/secret", WatchKind.DATA, ids);
            registry.add(session, "/open/secret", WatchKind.PERSISTENT, ids);
            registry.add(session, "/open/secret/inner", WatchKind.DATA, ids);
        }
        // Created, changed, given a child, the child deleted, and deleted: all under an ACL only alice passes.
        h.ok(TreeHarness.create("/open/secret", new byte[] {1}, aliceOnly, CreateMode.PERSISTENT, -1), aliceCaller);
        registry.dispatch(h.lastChanges);
        h.ok(new Op.SetData("/open/secret", new byte[] {2}, -1), aliceCaller);
        registry.dispatch(h.lastChanges);
        h.ok(TreeHarness.create("/open/secret/inner", new byte[0], aliceOnly, CreateMode.PERSISTENT, -1), aliceCaller);
        registry.dispatch(h.lastChanges);
        h.ok(new Op.Delete("/open/secret/inner", -1), aliceCaller);
        registry.dispatch(h.lastChanges);
        h.ok(new Op.Delete("/open/secret", -1), aliceCaller);
        registry.dispatch(h.lastChanges);
        List<String> seen = anonymous.stream().map(c -> c.type() + " " + c.path()).toList();
        // Only the parent's NodeChildrenChanged would name /open (readable), but recursive watches do not get that type.
        assertEquals(List.of(), seen, "the anonymous watcher saw changes to a znode it may not read");
        assertTrue(registry.has(A, "/open/secret", WatchKind.DATA), "a withheld one-shot watch stays set");
        List<String> seenByOwner = owner.stream().map(c -> c.type() + " " + c.path()).toList();
        assertEquals(List.of("NodeCreated /open/secret", "NodeDataChanged /open/secret", "NodeCreated /open/secret/inner",
                "NodeChildrenChanged /open/secret", "NodeDeleted /open/secret/inner", "NodeChildrenChanged /open/secret",
                "NodeDeleted /open/secret"), seenByOwner);
        // The journal holds only what was delivered: replaying it reveals nothing either.
        EventJournal.Resume replay = registry.journal(A).attach(0, c -> { });
        assertTrue(replay.events().stream().noneMatch(c -> c.path() != null && c.path().startsWith("/open/secret")), replay.toString());
    }
}
