package dev.corral.tree;

import static dev.corral.tree.TreeHarness.create;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.corral.txn.Txn;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrepValidationTest {
    private final TreeHarness h = new TreeHarness();

    @Test
    void createOfAnExistingPathFailsWithNodeExists() {
        h.created("/a");
        Prep.Prepared.Rejected r = h.refused(ErrorCode.NODE_EXISTS, create("/a"), Caller.ANONYMOUS);
        assertEquals("/a", r.path());
        assertEquals(-1, r.failedIndex());
        assertEquals(List.of(), r.results());
        h.refused(ErrorCode.NODE_EXISTS, create("/"), Caller.ANONYMOUS);
        h.refused(ErrorCode.NODE_EXISTS, create("/zookeeper"), Caller.ANONYMOUS);
        h.refused(ErrorCode.NODE_EXISTS, create("/zookeeper/config"), Caller.ANONYMOUS);
    }

    @Test
    void createUnderAMissingParentFailsWithNoNode() {
        h.refused(ErrorCode.NO_NODE, create("/missing/child"), Caller.ANONYMOUS);
        h.refused(ErrorCode.NO_NODE, create("/missing/seq-", new byte[0], null, CreateMode.PERSISTENT_SEQUENTIAL, -1), Caller.ANONYMOUS);
    }

    @Test
    void createWithInvalidPathFailsWithBadArguments() {
        for (String path : new String[] {"a", "/a/", "//", "/a/./b", "/a/../b", "/a\u0000", "/\ud800", "/\ufff0", "/a\u0007"}) {
            h.refused(ErrorCode.BAD_ARGUMENTS, create(path), Caller.ANONYMOUS);
        }
        h.refused(ErrorCode.BAD_ARGUMENTS, create(null), Caller.ANONYMOUS);
        h.refused(ErrorCode.BAD_ARGUMENTS, create("/a//", new byte[0], null, CreateMode.PERSISTENT_SEQUENTIAL, -1), Caller.ANONYMOUS);
        h.refused(ErrorCode.BAD_ARGUMENTS, create("/a", new byte[0], null, null, -1), Caller.ANONYMOUS);
    }

    @Test
    void sequentialCreateMayEndWithASlashBecauseTheSuffixCompletesTheName() {
        h.created("/q");
        assertEquals("/q/0000000000", ((OpResult.Created) h.ok(
                create("/q/", new byte[0], null, CreateMode.PERSISTENT_SEQUENTIAL, -1))).path());
        assertEquals("/0000000001", ((OpResult.Created) h.ok(
                create("/", new byte[0], null, CreateMode.PERSISTENT_SEQUENTIAL, -1))).path());
    }

    @Test
    void otherOperationsWithInvalidPathFailWithBadArguments() {
        for (String path : new String[] {"a", "/a/", "/a//b", "/a/..", ""}) {
            h.refused(ErrorCode.BAD_ARGUMENTS, new Op.Delete(path, -1), Caller.ANONYMOUS);
            h.refused(ErrorCode.BAD_ARGUMENTS, new Op.SetData(path, new byte[0], -1), Caller.ANONYMOUS);
            h.refused(ErrorCode.BAD_ARGUMENTS, new Op.SetAcl(path, dev.corral.txn.Acl.OPEN, -1), Caller.ANONYMOUS);
            h.refused(ErrorCode.BAD_ARGUMENTS, new Op.Check(path, -1), Caller.ANONYMOUS);
        }
    }

    @Test
    void dataOverTheLimitFailsWithBadArgumentsAndAtTheLimitIsAccepted() {
        byte[] max = new byte[TreeHarness.DATA_BYTES_MAX];
        byte[] over = new byte[TreeHarness.DATA_BYTES_MAX + 1];
        h.refused(ErrorCode.BAD_ARGUMENTS, create("/a", over, null, CreateMode.PERSISTENT, -1), Caller.ANONYMOUS);
        h.ok(create("/a", max, null, CreateMode.PERSISTENT, -1));
        h.refused(ErrorCode.BAD_ARGUMENTS, new Op.SetData("/a", over, -1), Caller.ANONYMOUS);
        h.ok(new Op.SetData("/a", max, -1));
        assertEquals(TreeHarness.DATA_BYTES_MAX, h.state.dataBytes());
    }

    @Test
    void nullDataMeansEmpty() {
        OpResult.Created r = (OpResult.Created) h.ok(create("/a", null, null, CreateMode.PERSISTENT, -1));
        assertEquals(0, r.stat().dataLength());
        h.ok(new Op.SetData("/a", null, -1));
        assertEquals(0, h.state.find("/a").data().length);
    }

    @Test
    void deleteOfMissingNodeOrParentFailsWithNoNode() {
        h.refused(ErrorCode.NO_NODE, new Op.Delete("/nope", -1), Caller.ANONYMOUS);
        h.refused(ErrorCode.NO_NODE, new Op.Delete("/nope/deeper", -1), Caller.ANONYMOUS);
        h.refused(ErrorCode.NO_NODE, new Op.SetData("/nope", new byte[0], -1), Caller.ANONYMOUS);
        h.refused(ErrorCode.NO_NODE, new Op.SetAcl("/nope", dev.corral.txn.Acl.OPEN, -1), Caller.ANONYMOUS);
        h.refused(ErrorCode.NO_NODE, new Op.Check("/nope", -1), Caller.ANONYMOUS);
    }

    @Test
    void deleteOfNodeWithChildrenFailsWithNotEmpty() {
        h.created("/a");
        h.created("/a/b");
        h.refused(ErrorCode.NOT_EMPTY, new Op.Delete("/a", -1), Caller.ANONYMOUS);
        h.refused(ErrorCode.NOT_EMPTY, new Op.Delete("/a", 0), Caller.ANONYMOUS);
    }

    @Test
    void staleVersionFailsWithBadVersionAndMinusOneMatchesAny() {
        h.created("/a");
        h.ok(new Op.SetData("/a", new byte[] {1}, 0));
        h.refused(ErrorCode.BAD_VERSION, new Op.SetData("/a", new byte[] {2}, 0), Caller.ANONYMOUS);
        h.refused(ErrorCode.BAD_VERSION, new Op.SetData("/a", new byte[] {2}, 2), Caller.ANONYMOUS);
        h.refused(ErrorCode.BAD_VERSION, new Op.Delete("/a", 0), Caller.ANONYMOUS);
        h.refused(ErrorCode.BAD_VERSION, new Op.Check("/a", 0), Caller.ANONYMOUS);
        h.refused(ErrorCode.BAD_VERSION, new Op.SetAcl("/a", dev.corral.txn.Acl.OPEN, 1), Caller.ANONYMOUS);
        assertInstanceOf(OpResult.Checked.class, h.ok(new Op.Check("/a", 1)));
        h.ok(new Op.SetData("/a", new byte[] {3}, -1));
        assertEquals(2, h.stat("/a").version());
        h.ok(new Op.SetAcl("/a", dev.corral.txn.Acl.OPEN, 0));
        h.refused(ErrorCode.BAD_VERSION, new Op.Delete("/a", 1), Caller.ANONYMOUS);
        h.ok(new Op.Delete("/a", 2));
        assertNull(h.state.find("/a"));
    }

    @Test
    void deleteWithAnyVersionSucceedsWhateverTheVersion() {
        h.created("/a");
        for (int i = 0; i < 5; i++) h.ok(new Op.SetData("/a", new byte[0], -1));
        h.ok(new Op.Delete("/a", -1));
        assertNull(h.state.find("/a"));
    }

    /** A Corral rule beyond ZooKeeper 3.9, whose server answers BAD_VERSION for these (see the report). */
    @Test
    void versionBelowMinusOneFailsWithBadArguments() {
        h.created("/a");
        h.refused(ErrorCode.BAD_ARGUMENTS, new Op.Delete("/a", -2), Caller.ANONYMOUS);
        h.refused(ErrorCode.BAD_ARGUMENTS, new Op.SetData("/a", new byte[0], Integer.MIN_VALUE), Caller.ANONYMOUS);
        h.refused(ErrorCode.BAD_ARGUMENTS, new Op.SetAcl("/a", dev.corral.txn.Acl.OPEN, -5), Caller.ANONYMOUS);
        h.refused(ErrorCode.BAD_ARGUMENTS, new Op.Check("/a", -3), Caller.ANONYMOUS);
    }

    @Test
    void specialPathsCannotBeDeleted() {
        for (String path : TreeState.SPECIAL_PATHS) {
            h.refused(ErrorCode.BAD_ARGUMENTS, new Op.Delete(path, -1), Caller.ANONYMOUS);
            h.refused(ErrorCode.BAD_ARGUMENTS, new Op.Delete(path, -1), Caller.SYSTEM);
        }
        assertNotNull(h.state.find("/zookeeper/quota"));
    }

    @Test
    void createUnderAnEphemeralFailsWithNoChildrenForEphemerals() {
        long session = h.openSession();
        Caller caller = Caller.ANONYMOUS.withSession(session);
        h.created("/e", CreateMode.EPHEMERAL, caller);
        h.refused(ErrorCode.NO_CHILDREN_FOR_EPHEMERALS, create("/e/c"), caller);
        h.refused(ErrorCode.NO_CHILDREN_FOR_EPHEMERALS, create("/e/c", new byte[0], null, CreateMode.EPHEMERAL, -1), caller);
        h.refused(ErrorCode.NO_CHILDREN_FOR_EPHEMERALS, create("/e/s", new byte[0], null, CreateMode.PERSISTENT_SEQUENTIAL, -1), caller);
    }

    @Test
    void ephemeralCreateNeedsASession() {
        h.refused(ErrorCode.BAD_ARGUMENTS, create("/e", new byte[0], null, CreateMode.EPHEMERAL, -1), Caller.ANONYMOUS);
        h.refused(ErrorCode.BAD_ARGUMENTS, create("/e", new byte[0], null, CreateMode.EPHEMERAL_SEQUENTIAL, -1), Caller.ANONYMOUS);
    }

    @Test
    void unknownSessionFailsWithSessionExpired() {
        h.created("/a");
        Caller ghost = Caller.ANONYMOUS.withSession(0x9999);
        h.refused(ErrorCode.SESSION_EXPIRED, create("/e", new byte[0], null, CreateMode.EPHEMERAL, -1), ghost);
        h.refused(ErrorCode.SESSION_EXPIRED, create("/p"), ghost);
        h.refused(ErrorCode.SESSION_EXPIRED, new Op.Delete("/a", -1), ghost);
        h.refused(ErrorCode.SESSION_EXPIRED, new Op.SetData("/a", new byte[0], -1), ghost);
        h.refused(ErrorCode.SESSION_EXPIRED, new Op.SetAcl("/a", dev.corral.txn.Acl.OPEN, -1), ghost);
        h.refused(ErrorCode.SESSION_EXPIRED, new Op.Check("/a", -1), ghost);
        h.refused(ErrorCode.SESSION_EXPIRED, new Op.CloseSession(0x9999), Caller.ANONYMOUS);
    }

    @Test
    void ephemeralIsOwnedByTheCallersSessionAndIndexed() {
        long session = h.openSession();
        OpResult.Created r = (OpResult.Created) h.ok(create("/e", new byte[0], null, CreateMode.EPHEMERAL, -1),
                Caller.ANONYMOUS.withSession(session));
        assertEquals(session, r.stat().ephemeralOwner());
        assertEquals(List.of("/e"), h.state.session(session).ephemerals().keys());
        h.ok(new Op.Delete("/e", -1));
        assertEquals(List.of(), h.state.session(session).ephemerals().keys());
    }

    @Test
    void ttlIsValidOnlyWithTtlModesAndWithinRange() {
        h.refused(ErrorCode.BAD_ARGUMENTS, create("/t", new byte[0], null, CreateMode.PERSISTENT_TTL, 0), Caller.ANONYMOUS);
        h.refused(ErrorCode.BAD_ARGUMENTS, create("/t", new byte[0], null, CreateMode.PERSISTENT_TTL, -1), Caller.ANONYMOUS);
        h.refused(ErrorCode.BAD_ARGUMENTS, create("/t", new byte[0], null, CreateMode.PERSISTENT_TTL, NodeKind.TTL_MAX_MS + 1), Caller.ANONYMOUS);
        h.refused(ErrorCode.BAD_ARGUMENTS, create("/t", new byte[0], null, CreateMode.PERSISTENT_SEQUENTIAL_TTL, 0), Caller.ANONYMOUS);
        for (CreateMode mode : List.of(CreateMode.PERSISTENT, CreateMode.PERSISTENT_SEQUENTIAL, CreateMode.CONTAINER)) {
            h.refused(ErrorCode.BAD_ARGUMENTS, create("/t", new byte[0], null, mode, 0), Caller.ANONYMOUS);
            h.refused(ErrorCode.BAD_ARGUMENTS, create("/t", new byte[0], null, mode, 1000), Caller.ANONYMOUS);
        }
        long session = h.openSession();
        h.refused(ErrorCode.BAD_ARGUMENTS, create("/t", new byte[0], null, CreateMode.EPHEMERAL, 1000), Caller.ANONYMOUS.withSession(session));
        h.ok(create("/t1", new byte[0], null, CreateMode.PERSISTENT_TTL, 1));
        h.ok(create("/t2", new byte[0], null, CreateMode.PERSISTENT_TTL, NodeKind.TTL_MAX_MS));
        assertEquals(NodeKind.ttlOwner(1), h.state.find("/t1").ephemeralOwner());
        assertEquals(NodeKind.ttlOwner(NodeKind.TTL_MAX_MS), h.state.find("/t2").ephemeralOwner());
    }

    @Test
    void createSessionClampsTheTimeoutAndSkipsUnusableIds() {
        OpResult.SessionOpened low = (OpResult.SessionOpened) h.ok(new Op.CreateSession(1));
        assertEquals(TreeHarness.SESSION_TIMEOUT_MIN_MS, low.timeoutMs());
        OpResult.SessionOpened high = (OpResult.SessionOpened) h.ok(new Op.CreateSession(1_000_000));
        assertEquals(TreeHarness.SESSION_TIMEOUT_MAX_MS, high.timeoutMs());
        OpResult.SessionOpened mid = (OpResult.SessionOpened) h.ok(new Op.CreateSession(5000));
        assertEquals(5000, mid.timeoutMs());
        h.sessionIdSource.addAll(List.of(0L, Long.MIN_VALUE, 0xff00000000000001L, low.sessionId(), 0x77L));
        OpResult.SessionOpened next = (OpResult.SessionOpened) h.ok(new Op.CreateSession(5000));
        assertEquals(0x77L, next.sessionId());
        assertEquals(4, h.state.sessionCount());
        h.refused(ErrorCode.BAD_ARGUMENTS, new Op.CreateSession(0), Caller.ANONYMOUS);
        h.refused(ErrorCode.BAD_ARGUMENTS, new Op.CreateSession(-5), Caller.ANONYMOUS);
    }

    @Test
    void preparedCreateCarriesTheResolvedPathAndOwner() {
        long session = h.openSession();
        Prep.Prepared p = h.prep.prep(h.state, create("/s-", new byte[] {4}, null, CreateMode.EPHEMERAL_SEQUENTIAL, -1),
                Caller.ANONYMOUS.withSession(session), h.nowMs);
        Txn.Create c = (Txn.Create) ((Prep.Prepared.Accepted) p).txn();
        assertEquals("/s-0000000000", c.path());
        assertEquals(session, c.ephemeralOwner());
        assertEquals(dev.corral.txn.Acl.OPEN, c.acl());
    }
}
