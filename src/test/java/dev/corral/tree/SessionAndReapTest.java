package dev.corral.tree;

import static dev.corral.tree.TreeHarness.create;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.corral.txn.Txn;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionAndReapTest {
    private final TreeHarness h = new TreeHarness();

    @Test
    void closeSessionDeletesEveryEphemeralOfTheSessionInOneTransaction() {
        long mine = h.openSession();
        long other = h.openSession();
        Caller me = Caller.ANONYMOUS.withSession(mine);
        h.created("/app");
        h.created("/app/e1", CreateMode.EPHEMERAL, me);
        h.created("/e2", CreateMode.EPHEMERAL, me);
        h.ok(create("/app/seq-", new byte[] {1, 2, 3}, null, CreateMode.EPHEMERAL_SEQUENTIAL, -1), me);
        h.created("/app/theirs", CreateMode.EPHEMERAL, Caller.ANONYMOUS.withSession(other));
        h.created("/app/persistent", CreateMode.PERSISTENT, me);
        long nodesBefore = h.state.nodeCount();
        int logBefore = h.log.size();
        Stat appBefore = h.stat("/app");

        assertEquals(new OpResult.SessionClosed(mine), h.ok(new Op.CloseSession(mine)));

        long z = h.state.lastZxid();
        assertEquals(logBefore + 1, h.log.size());
        assertInstanceOf(Txn.CloseSession.class, h.log.getLast().txn());
        assertNull(h.state.find("/app/e1"));
        assertNull(h.state.find("/e2"));
        assertNull(h.state.find("/app/seq-0000000001"));
        assertNotNull(h.state.find("/app/theirs"));
        assertNotNull(h.state.find("/app/persistent"));
        assertNull(h.state.session(mine));
        assertNotNull(h.state.session(other));
        assertEquals(nodesBefore - 3, h.state.nodeCount());
        assertEquals(0, h.state.dataBytes());
        assertEquals(z, h.stat("/app").pzxid());
        // Two of /app's children were deleted, and each deletion counts in the Stat's cversion.
        assertEquals(appBefore.cversion() + 2, h.stat("/app").cversion());
        assertEquals(z, h.stat("/").pzxid());
        long deletions = h.lastChanges.stream().filter(c -> c.type() == TreeChange.EventType.NodeDeleted).count();
        assertEquals(3, deletions);
        assertEquals(3, h.lastChanges.stream().filter(c -> c.type() == TreeChange.EventType.NodeChildrenChanged).count());
        h.refused(ErrorCode.SESSION_EXPIRED, new Op.CloseSession(mine), Caller.ANONYMOUS);
    }

    @Test
    void closeSessionWithoutEphemeralsOnlyRemovesTheSession() {
        long s = h.openSession();
        String before = TreeHarness.dump(h.state).replaceFirst("lastZxid=\\d+", "");
        h.ok(new Op.CloseSession(s));
        assertEquals(0, h.state.sessionCount());
        assertEquals(List.of(), h.lastChanges);
        String after = TreeHarness.dump(h.state).replaceFirst("lastZxid=\\d+", "");
        assertEquals(before.replaceFirst("sessions=\\{.*}", "sessions={}"), after);
    }

    @Test
    void containerIsReapedOnlyOnceItHadAChildAndIsEmpty() {
        h.created("/c", CreateMode.CONTAINER, Caller.ANONYMOUS);
        h.refused(ErrorCode.BAD_VERSION, new Op.Reap("/c"), Caller.SYSTEM);
        h.created("/c/child");
        h.refused(ErrorCode.NOT_EMPTY, new Op.Reap("/c"), Caller.SYSTEM);
        h.ok(new Op.Delete("/c/child", -1));
        h.ok(new Op.Reap("/c"), Caller.SYSTEM);
        assertNull(h.state.find("/c"));
        assertEquals(List.of(), h.state.containerPaths());
        h.refused(ErrorCode.NO_NODE, new Op.Reap("/c"), Caller.SYSTEM);
    }

    @Test
    void ttlNodeIsReapedOnlyAfterItsTtlPassedSinceTheLastChange() {
        h.nowMs = 10_000;
        h.ok(create("/t", new byte[0], null, CreateMode.PERSISTENT_TTL, 1000));
        h.nowMs = 11_000;
        h.refused(ErrorCode.BAD_VERSION, new Op.Reap("/t"), Caller.SYSTEM);
        h.nowMs = 10_500;
        h.ok(new Op.SetData("/t", new byte[] {1}, -1));
        h.nowMs = 11_001;
        h.refused(ErrorCode.BAD_VERSION, new Op.Reap("/t"), Caller.SYSTEM);
        h.nowMs = 11_500;
        h.refused(ErrorCode.BAD_VERSION, new Op.Reap("/t"), Caller.SYSTEM);
        h.created("/t/kid");
        h.nowMs = 20_000;
        h.refused(ErrorCode.NOT_EMPTY, new Op.Reap("/t"), Caller.SYSTEM);
        h.ok(new Op.Delete("/t/kid", -1));
        h.ok(new Op.Reap("/t"), Caller.SYSTEM);
        assertNull(h.state.find("/t"));
        assertEquals(List.of(), h.state.ttlPaths());
    }

    @Test
    void persistentAndEphemeralNodesAreNeverReaped() {
        long s = h.openSession();
        h.created("/p");
        h.created("/p/x");
        h.ok(new Op.Delete("/p/x", -1));
        h.created("/e", CreateMode.EPHEMERAL, Caller.ANONYMOUS.withSession(s));
        h.nowMs += 1_000_000_000L;
        h.refused(ErrorCode.BAD_VERSION, new Op.Reap("/p"), Caller.SYSTEM);
        h.refused(ErrorCode.BAD_VERSION, new Op.Reap("/e"), Caller.SYSTEM);
    }

    @Test
    void reapIsADeleteTransaction() {
        h.created("/c", CreateMode.CONTAINER, Caller.ANONYMOUS);
        h.created("/c/x");
        h.ok(new Op.Delete("/c/x", -1));
        h.ok(new Op.Reap("/c"), Caller.SYSTEM);
        assertEquals(new Txn.Delete("/c"), h.log.getLast().txn());
        assertEquals(List.of(new TreeChange(TreeChange.EventType.NodeDeleted, "/c", h.state.lastZxid()),
                new TreeChange(TreeChange.EventType.NodeChildrenChanged, "/", h.state.lastZxid())), h.lastChanges);
    }
}
