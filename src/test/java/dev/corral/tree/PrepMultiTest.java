package dev.corral.tree;

import static dev.corral.tree.TreeHarness.create;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.corral.txn.Acl;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrepMultiTest {
    private final TreeHarness h = new TreeHarness();

    @Test
    void laterOperationsSeeEarlierOnesAndAllShareOneZxid() {
        h.nowMs = 777;
        OpResult.MultiDone done = (OpResult.MultiDone) h.ok(new Op.Multi(List.of(
                create("/p"),
                create("/p/c", new byte[] {1, 2}, null, CreateMode.PERSISTENT, -1),
                new Op.SetData("/p/c", new byte[] {3}, 0),
                new Op.Check("/p/c", 1),
                create("/p/s-", new byte[0], null, CreateMode.PERSISTENT_SEQUENTIAL, -1),
                create("/p/s-", new byte[0], null, CreateMode.PERSISTENT_SEQUENTIAL, -1))));
        long z = h.state.lastZxid();
        List<OpResult> results = done.results();
        assertEquals(6, results.size());
        assertEquals(new OpResult.Created("/p", new Stat(z, z, z, 777, 777, 0, 0, 0, 0, 0, 0)), results.get(0));
        assertEquals(new OpResult.Created("/p/c", new Stat(z, z, z, 777, 777, 0, 0, 0, 0, 2, 0)), results.get(1));
        assertEquals(new OpResult.DataSet("/p/c", new Stat(z, z, z, 777, 777, 1, 0, 0, 0, 1, 0)), results.get(2));
        assertEquals(new OpResult.Checked("/p/c"), results.get(3));
        assertEquals("/p/s-0000000001", ((OpResult.Created) results.get(4)).path());
        assertEquals("/p/s-0000000002", ((OpResult.Created) results.get(5)).path());
        assertEquals(new Stat(z, z, z, 777, 777, 0, 3, 0, 0, 0, 3), h.stat("/p"));
        assertArrayEquals(new byte[] {3}, h.state.find("/p/c").data());
        assertEquals(8, h.state.nodeCount());
        assertEquals(1, h.state.dataBytes());
    }

    @Test
    void deleteThenRecreateInOneMultiIsAllowed() {
        h.created("/a");
        h.ok(new Op.SetData("/a", new byte[] {1}, -1));
        OpResult.MultiDone done = (OpResult.MultiDone) h.ok(new Op.Multi(List.of(
                new Op.Delete("/a", 1), create("/a", new byte[] {2}, null, CreateMode.PERSISTENT, -1))));
        assertEquals(new OpResult.Deleted("/a"), done.results().get(0));
        assertEquals(0, h.stat("/a").version());
        assertEquals(h.state.lastZxid(), h.stat("/a").czxid());
    }

    @Test
    void failingOperationRefusesTheWholeMultiWithPerOperationResults() {
        h.created("/x");
        Prep.Prepared.Rejected r = h.refused(ErrorCode.NO_NODE, new Op.Multi(List.of(
                create("/m"),
                new Op.SetData("/x", new byte[] {1}, -1),
                new Op.SetData("/nope", new byte[0], -1),
                create("/z"),
                new Op.Delete("/x", -1))), Caller.ANONYMOUS);
        assertEquals(2, r.failedIndex());
        assertEquals("/nope", r.path());
        assertEquals(List.of(
                new OpResult.Failed(ErrorCode.OK, "/m"),
                new OpResult.Failed(ErrorCode.OK, "/x"),
                new OpResult.Failed(ErrorCode.NO_NODE, "/nope"),
                new OpResult.Failed(ErrorCode.RUNTIME_INCONSISTENCY, "/z"),
                new OpResult.Failed(ErrorCode.RUNTIME_INCONSISTENCY, "/x")), r.results());
        assertNull(h.state.find("/m"));
        assertEquals(0, h.stat("/x").version());
    }

    @Test
    void errorInTheFirstOperationMakesAllOthersRuntimeInconsistency() {
        h.created("/a");
        Prep.Prepared.Rejected r = h.refused(ErrorCode.BAD_VERSION, new Op.Multi(List.of(
                new Op.Check("/a", 5), create("/b"))), Caller.ANONYMOUS);
        assertEquals(0, r.failedIndex());
        assertEquals(List.of(new OpResult.Failed(ErrorCode.BAD_VERSION, "/a"),
                new OpResult.Failed(ErrorCode.RUNTIME_INCONSISTENCY, "/b")), r.results());
    }

    @Test
    void operationsSeeTheStateLeftByEarlierOnesWhenFailing() {
        h.created("/a");
        h.refused(ErrorCode.NODE_EXISTS, new Op.Multi(List.of(create("/b"), create("/b"))), Caller.ANONYMOUS);
        h.refused(ErrorCode.NO_NODE, new Op.Multi(List.of(new Op.Delete("/a", -1), new Op.SetData("/a", new byte[0], -1))),
                Caller.ANONYMOUS);
        h.refused(ErrorCode.BAD_VERSION, new Op.Multi(List.of(new Op.SetData("/a", new byte[0], 0),
                new Op.SetData("/a", new byte[0], 0))), Caller.ANONYMOUS);
        h.refused(ErrorCode.NOT_EMPTY, new Op.Multi(List.of(create("/a/c"), new Op.Delete("/a", -1))), Caller.ANONYMOUS);
        assertNull(h.state.find("/b"));
        assertNull(h.state.find("/a/c"));
    }

    @Test
    void onlyCreateDeleteSetDataAndCheckMayAppearInAMulti() {
        h.created("/a");
        Prep.Prepared.Rejected r = h.refused(ErrorCode.BAD_ARGUMENTS, new Op.Multi(List.of(
                create("/b"), new Op.SetAcl("/a", Acl.OPEN, -1))), Caller.ANONYMOUS);
        assertEquals(1, r.failedIndex());
        assertEquals(List.of(new OpResult.Failed(ErrorCode.OK, "/b"), new OpResult.Failed(ErrorCode.BAD_ARGUMENTS, "/a")),
                r.results());
        h.refused(ErrorCode.BAD_ARGUMENTS, new Op.Multi(List.of(new Op.Multi(List.of()))), Caller.ANONYMOUS);
        h.refused(ErrorCode.BAD_ARGUMENTS, new Op.Multi(List.of(new Op.CreateSession(5000))), Caller.ANONYMOUS);
        h.refused(ErrorCode.BAD_ARGUMENTS, new Op.Multi(List.of(new Op.Reap("/a"))), Caller.ANONYMOUS);
    }

    @Test
    void emptyMultiSucceedsWithNoResults() {
        OpResult.MultiDone done = (OpResult.MultiDone) h.ok(new Op.Multi(List.of()));
        assertEquals(List.of(), done.results());
        assertEquals(List.of(), h.lastChanges);
    }

    @Test
    void multiChangesAreReportedInOperationOrder() {
        OpResult r = h.ok(new Op.Multi(List.of(create("/p"), create("/p/c"))));
        assertInstanceOf(OpResult.MultiDone.class, r);
        long z = h.state.lastZxid();
        assertEquals(List.of(
                new TreeChange(TreeChange.EventType.NodeCreated, "/p", z),
                new TreeChange(TreeChange.EventType.NodeChildrenChanged, "/", z),
                new TreeChange(TreeChange.EventType.NodeCreated, "/p/c", z),
                new TreeChange(TreeChange.EventType.NodeChildrenChanged, "/p", z)), h.lastChanges);
    }

    @Test
    void multiOfEphemeralsIsTrackedInTheSession() {
        long session = h.openSession();
        Caller caller = Caller.ANONYMOUS.withSession(session);
        h.ok(new Op.Multi(List.of(create("/e1", new byte[0], null, CreateMode.EPHEMERAL, -1),
                create("/e2", new byte[0], null, CreateMode.EPHEMERAL, -1))), caller);
        assertEquals(List.of("/e1", "/e2"), h.state.session(session).ephemerals().keys().stream().sorted().toList());
    }
}
