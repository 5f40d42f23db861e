package dev.corral.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.tree.TreeChange.EventType;
import dev.corral.txn.Acl;
import dev.corral.txn.SessionSecret;
import dev.corral.txn.Txn;
import dev.corral.txn.TxnRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A follower that installs its leader's snapshot jumps over transactions it never applied. Its watches must still
 * fire for what those transactions changed, as ZooKeeper's {@code setWatches} makes them fire for a client that
 * reconnects with an old zxid; and sessions that ended in between must end here too.
 */
class WatchRegistryJumpTest {
    private static final long A = 0xA;
    private static final long B = 0xB;
    private static final List<Acl> SECRET = List.of(new Acl(Acl.ALL, "digest", "alice:x"));

    private final Apply apply = new Apply(new AclTable());
    private final WatchRegistry registry = new WatchRegistry(1000, 0);
    private TreeState tree = TreeState.initial();

    private void run(Txn... txns) {
        for (Txn t : txns) tree = apply.apply(tree, tree.lastZxid() + 1, new TxnRecord(1_700_000_000_000L, t)).state();
    }

    private static Txn create(String path) {
        return new Txn.Create(path, new byte[0], Acl.OPEN, 0);
    }

    private List<String> listen(long session) {
        List<String> got = new ArrayList<>();
        registry.journal(session).attach(-1, c -> got.add(c.type() + " " + c.path()));
        return got;
    }

    @Test
    void everyKindOfWatchLearnsWhatTheJumpChanged() {
        run(new Txn.CreateSession(A, 10_000, SessionSecret.NONE), create("/a"), create("/b"), create("/r"), create("/r/x"), create("/d"),
                create("/same"), create("/again"));
        TreeState before = tree;
        registry.add(A, "/a", WatchKind.DATA, List.of());
        registry.add(A, "/b", WatchKind.CHILD, List.of());
        registry.add(A, "/c", WatchKind.DATA, List.of());
        registry.add(A, "/d", WatchKind.DATA, List.of());
        registry.add(A, "/same", WatchKind.DATA, List.of());
        registry.add(A, "/again", WatchKind.DATA, List.of());
        registry.add(A, "/r", WatchKind.PERSISTENT_RECURSIVE, List.of());
        List<String> got = listen(A);

        run(new Txn.SetData("/a", new byte[] {1}, -1), create("/b/kid"), create("/c"), new Txn.Delete("/d"), new Txn.Delete("/r/x"),
                create("/r/y"), new Txn.Delete("/again"), create("/again"));
        registry.dispatchJump(before, tree);

        assertEquals(List.of("NodeDataChanged /a", "NodeDeleted /again", "NodeChildrenChanged /b", "NodeCreated /c", "NodeDeleted /d",
                "NodeDeleted /r/x", "NodeCreated /r/y"), got);
        assertTrue(registry.has(A, "/same", WatchKind.DATA), "a watch on an unchanged znode stays set");
        assertFalse(registry.has(A, "/a", WatchKind.DATA), "a one-shot watch that fired is gone");
        assertTrue(registry.has(A, "/r", WatchKind.PERSISTENT_RECURSIVE));
    }

    @Test
    void restoredWatchesFireAsZooKeepersSetWatchesAndTheRestAreSet() {
        run(new Txn.CreateSession(A, 10_000, SessionSecret.NONE), create("/d"), create("/same"), create("/gone"), create("/p"));
        long seen = tree.lastZxid();
        run(new Txn.SetData("/d", new byte[] {1}, -1), create("/p/kid"), create("/new"), new Txn.Delete("/gone"));
        List<String> got = listen(A);
        int fired = registry.restore(A, List.of(), seen, tree, List.of(
                new WatchRegistry.Restored("/d", WatchRegistry.RestoredKind.DATA),
                new WatchRegistry.Restored("/same", WatchRegistry.RestoredKind.DATA),
                new WatchRegistry.Restored("/gone", WatchRegistry.RestoredKind.DATA),
                new WatchRegistry.Restored("/new", WatchRegistry.RestoredKind.EXISTS),
                new WatchRegistry.Restored("/absent", WatchRegistry.RestoredKind.EXISTS),
                new WatchRegistry.Restored("/p", WatchRegistry.RestoredKind.CHILD),
                new WatchRegistry.Restored("/same", WatchRegistry.RestoredKind.CHILD),
                new WatchRegistry.Restored("/r", WatchRegistry.RestoredKind.PERSISTENT_RECURSIVE)));
        assertEquals(List.of("NodeDataChanged /d", "NodeDeleted /gone", "NodeCreated /new", "NodeChildrenChanged /p"), got);
        assertEquals(4, fired);
        assertFalse(registry.has(A, "/d", WatchKind.DATA), "a watch that fired is spent");
        assertTrue(registry.has(A, "/same", WatchKind.DATA));
        assertTrue(registry.has(A, "/same", WatchKind.CHILD));
        assertTrue(registry.has(A, "/absent", WatchKind.DATA), "an exists watch on a missing znode is set");
        assertTrue(registry.has(A, "/r", WatchKind.PERSISTENT_RECURSIVE));
    }

    @Test
    void restoringPastTheQuotaChangesNothing() {
        WatchRegistry small = new WatchRegistry(100, 0, 2, 100);
        run(new Txn.CreateSession(A, 10_000, SessionSecret.NONE));
        int fired = small.restore(A, List.of(), 0, tree, List.of(new WatchRegistry.Restored("/a", WatchRegistry.RestoredKind.EXISTS),
                new WatchRegistry.Restored("/b", WatchRegistry.RestoredKind.EXISTS), new WatchRegistry.Restored("/c", WatchRegistry.RestoredKind.EXISTS)));
        assertEquals(-1, fired);
        assertEquals(0, small.count());
    }

    @Test
    void aJumpRevealsNothingAnAclHides() {
        run(new Txn.CreateSession(A, 10_000, SessionSecret.NONE), create("/open"));
        TreeState before = tree;
        registry.add(A, "/", WatchKind.PERSISTENT_RECURSIVE, List.of());
        List<String> got = listen(A);
        run(new Txn.Create("/open/hidden", new byte[0], SECRET, 0), create("/open/seen"));
        registry.dispatchJump(before, tree);
        assertEquals(List.of("NodeCreated /open/seen"), got);
    }

    @Test
    void aSessionThatEndedInTheJumpIsToldAndForgotten() {
        run(new Txn.CreateSession(A, 10_000, SessionSecret.NONE), new Txn.CreateSession(B, 10_000, SessionSecret.NONE), create("/n"));
        TreeState before = tree;
        registry.add(A, "/n", WatchKind.DATA, List.of());
        registry.add(B, "/n", WatchKind.DATA, List.of());
        List<TreeChange> endedA = new ArrayList<>();
        registry.journal(A).attach(-1, endedA::add);
        run(new Txn.CloseSession(A));
        registry.dispatchJump(before, tree);
        assertEquals(1, endedA.size());
        assertEquals(EventType.None, endedA.getFirst().type(), "the stream of the closed session is told it closed");
        assertFalse(registry.has(A, "/n", WatchKind.DATA));
        assertTrue(registry.has(B, "/n", WatchKind.DATA), "a live session's untouched watch stays");
    }
}
