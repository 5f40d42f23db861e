package dev.corral.tree;

import static dev.corral.tree.TreeHarness.create;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.corral.txn.Acl;
import dev.corral.txn.Txn;
import dev.corral.txn.TxnRecord;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TreeStatTest {
    private static final Stat BLANK = new Stat(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    @Test
    void initialTreeHoldsTheZooKeeperNodesOnly() {
        TreeState s = TreeState.initial();
        assertEquals(List.of("zookeeper"), s.root().childNames());
        assertEquals(1, s.root().numChildren());
        // As ZooKeeper 3.9.5 reports them: its DataTree adds these children without counting creations (so the
        // Stat's cversion, 2 x creations - numChildren, is negative), and sets config's ACL at aversion -1.
        assertEquals(new Stat(0, 0, 0, 0, 0, 0, -1, 0, 0, 0, 1), s.root().stat());
        Znode zookeeper = s.find("/zookeeper");
        assertEquals(List.of("config", "quota"), zookeeper.childNames().stream().sorted().toList());
        assertEquals(new Stat(0, 0, 0, 0, 0, 0, -2, 0, 0, 0, 2), zookeeper.stat());
        assertEquals(BLANK, s.find("/zookeeper/quota").stat());
        assertEquals(new Stat(0, 0, 0, 0, 0, 0, 0, -1, 0, 0, 0), s.find("/zookeeper/config").stat());
        assertEquals(Acl.READ_ONLY, s.find("/zookeeper/config").acl());
        assertEquals(Acl.OPEN, s.find("/zookeeper/quota").acl());
        assertEquals(Acl.OPEN, s.root().acl());
        assertEquals(4, s.nodeCount());
        assertEquals(0, s.dataBytes());
        assertEquals(0, s.lastZxid());
        assertEquals(0, s.sessionCount());
        assertNull(s.find("/a"));
    }

    @Test
    void createSetsEveryStatFieldFromItsZxidAndTime() {
        TreeHarness h = new TreeHarness();
        h.nowMs = 5_000;
        OpResult.Created r = (OpResult.Created) h.ok(create("/a", new byte[] {1, 2, 3}, null, CreateMode.PERSISTENT, -1));
        long z = h.state.lastZxid();
        assertEquals(1, z);
        Stat expected = new Stat(z, z, z, 5_000, 5_000, 0, 0, 0, 0, 3, 0);
        assertEquals("/a", r.path());
        assertEquals(expected, r.stat());
        assertEquals(expected, h.stat("/a"));
        assertArrayEquals(new byte[] {1, 2, 3}, h.state.find("/a").data());
        assertEquals(Acl.OPEN, h.state.find("/a").acl());
        assertEquals(5, h.state.nodeCount());
        assertEquals(3, h.state.dataBytes());
    }

    @Test
    void createBumpsParentCversionAndPzxidOnly() {
        TreeHarness h = new TreeHarness();
        h.nowMs = 100;
        h.created("/p");
        h.nowMs = 200;
        h.created("/p/c1");
        long z1 = h.state.lastZxid();
        assertEquals(new Stat(1, 1, z1, 100, 100, 0, 1, 0, 0, 0, 1), h.stat("/p"));
        h.nowMs = 300;
        h.created("/p/c2");
        long z2 = h.state.lastZxid();
        assertEquals(new Stat(1, 1, z2, 100, 100, 0, 2, 0, 0, 0, 2), h.stat("/p"));
        // The root's built-in child /zookeeper was never counted as a creation: 2 x 1 - 2.
        assertEquals(new Stat(0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2), h.stat("/"));
    }

    @Test
    void deleteMovesParentPzxidAndCountsInItsCversion() {
        TreeHarness h = new TreeHarness();
        h.created("/p");
        h.created("/p/c");
        Stat before = h.stat("/p");
        h.ok(new Op.Delete("/p/c", -1));
        long z = h.state.lastZxid();
        Stat after = h.stat("/p");
        assertEquals(new Stat(before.czxid(), before.mzxid(), z, before.ctime(), before.mtime(), 0, 2, 0, 0, 0, 0), after);
        assertNull(h.state.find("/p/c"));
        assertEquals(5, h.state.nodeCount());
    }

    /** What the real ZooKeeper 3.9.5 server answers (found by the differential test): create /t, /t/x, delete /t/x. */
    @Test
    void cversionCountsChildCreatesAndDeletesWhileSequentialNamesCountOnlyCreates() {
        TreeHarness h = new TreeHarness();
        h.created("/t");
        h.created("/t/x");
        assertEquals(1, h.stat("/t").cversion());
        h.ok(new Op.Delete("/t/x", -1));
        assertEquals(2, h.stat("/t").cversion());
        OpResult.Created s = (OpResult.Created) h.ok(create("/t/s-", new byte[0], null, CreateMode.PERSISTENT_SEQUENTIAL, -1));
        assertEquals("/t/s-0000000001", s.path());
        assertEquals(3, h.stat("/t").cversion());
        h.created("/t/y");
        assertEquals(new Stat(h.stat("/t").czxid(), h.stat("/t").mzxid(), h.state.lastZxid(), h.stat("/t").ctime(), h.stat("/t").mtime(),
                0, 4, 0, 0, 0, 2), h.stat("/t"));
        assertEquals(3, h.state.find("/t").childCreations());
    }

    @Test
    void setDataBumpsVersionMzxidAndMtimeOnly() {
        TreeHarness h = new TreeHarness();
        h.nowMs = 10;
        h.created("/a");
        h.created("/a/child");
        Stat before = h.stat("/a");
        h.nowMs = 20;
        OpResult.DataSet r = (OpResult.DataSet) h.ok(new Op.SetData("/a", new byte[] {9, 9}, 0));
        long z = h.state.lastZxid();
        Stat expected = new Stat(before.czxid(), z, before.pzxid(), 10, 20, 1, before.cversion(), 0, 0, 2, 1);
        assertEquals(expected, r.stat());
        assertEquals(expected, h.stat("/a"));
        h.nowMs = 30;
        h.ok(new Op.SetData("/a", new byte[0], -1));
        assertEquals(2, h.stat("/a").version());
        assertEquals(30, h.stat("/a").mtime());
        assertEquals(0, h.stat("/a").dataLength());
        assertEquals(0, h.state.dataBytes());
    }

    @Test
    void setAclBumpsAversionOnly() {
        TreeHarness h = new TreeHarness();
        h.created("/a");
        Stat before = h.stat("/a");
        List<Acl> acl = List.of(new Acl(Acl.READ | Acl.ADMIN, "world", "anyone"));
        OpResult.AclSet r = (OpResult.AclSet) h.ok(new Op.SetAcl("/a", acl, 0));
        Stat expected = new Stat(before.czxid(), before.mzxid(), before.pzxid(), before.ctime(), before.mtime(), 0, 0, 1, 0, 0, 0);
        assertEquals(expected, r.stat());
        assertEquals(expected, h.stat("/a"));
        assertEquals(acl, h.state.find("/a").acl());
        h.ok(new Op.SetAcl("/a", Acl.OPEN, 1));
        assertEquals(2, h.stat("/a").aversion());
        assertEquals(0, h.stat("/a").version());
    }

    @Test
    void sequentialNamesCountTheParentsChildCreationsAndAreNeverReused() {
        TreeHarness h = new TreeHarness();
        h.created("/q");
        h.created("/q/plain");
        OpResult.Created first = (OpResult.Created) h.ok(create("/q/job-", new byte[0], null, CreateMode.PERSISTENT_SEQUENTIAL, -1));
        assertEquals("/q/job-0000000001", first.path());
        OpResult.Created second = (OpResult.Created) h.ok(create("/q/job-", new byte[0], null, CreateMode.PERSISTENT_SEQUENTIAL, -1));
        assertEquals("/q/job-0000000002", second.path());
        h.ok(new Op.Delete("/q/job-0000000002", -1));
        h.ok(new Op.Delete("/q/job-0000000001", -1));
        h.ok(new Op.Delete("/q/plain", -1));
        // Three creations and three deletions; the stored counter, which names the next one, is 3.
        assertEquals(6, h.stat("/q").cversion());
        assertEquals(3, h.state.find("/q").childCreations());
        OpResult.Created third = (OpResult.Created) h.ok(create("/q/", new byte[0], null, CreateMode.PERSISTENT_SEQUENTIAL, -1));
        assertEquals("/q/0000000003", third.path());
        long session = h.openSession();
        OpResult.Created eph = (OpResult.Created) h.ok(
                create("/q/e", new byte[0], null, CreateMode.EPHEMERAL_SEQUENTIAL, -1), Caller.ANONYMOUS.withSession(session));
        assertEquals("/q/e0000000004", eph.path());
        assertEquals(session, eph.stat().ephemeralOwner());
    }

    @Test
    void sequentialNumbersAreFormattedToTenDigitsAtLargeCversions() {
        TreeHarness h = new TreeHarness();
        h.created("/q");
        Znode q = h.state.find("/q");
        Znode bumped = Znode.of(q.data(), q.acl(), q.children(), q.czxid(), q.mzxid(), q.pzxid(), q.ctime(), q.mtime(),
                q.ephemeralOwner(), q.version(), 1_234_567_890, q.aversion());
        TreeState edited = h.state.with(h.state.root.withChild("q", bumped), h.state.sessions, h.state.containers, h.state.ttls,
                h.state.nodeCount, h.state.dataBytes, 0);
        h.state = edited.withDigest(Digest.of(edited));
        OpResult.Created r = (OpResult.Created) h.ok(create("/q/n", new byte[0], null, CreateMode.PERSISTENT_SEQUENTIAL, -1));
        assertEquals("/q/n1234567890", r.path());
    }

    @Test
    void containerAndTtlOwnersUseZooKeeperEncodingsWhichTheirStatsHide() {
        TreeHarness h = new TreeHarness();
        Stat container = h.created("/c", CreateMode.CONTAINER, Caller.ANONYMOUS);
        assertEquals(Long.MIN_VALUE, h.state.find("/c").ephemeralOwner());
        OpResult.Created ttl = (OpResult.Created) h.ok(create("/t", new byte[0], null, CreateMode.PERSISTENT_TTL, 12_345));
        assertEquals(0xff00000000000000L | 12_345, h.state.find("/t").ephemeralOwner());
        OpResult.Created maxTtl = (OpResult.Created) h.ok(
                create("/s-", new byte[0], null, CreateMode.PERSISTENT_SEQUENTIAL_TTL, NodeKind.TTL_MAX_MS));
        assertEquals("/s-0000000002", maxTtl.path());
        long owner = h.state.find("/s-0000000002").ephemeralOwner();
        assertEquals(0xff0000ffffffffffL, owner);
        assertEquals(NodeKind.TTL, NodeKind.of(owner));
        assertEquals(NodeKind.TTL_MAX_MS, NodeKind.ttlMs(owner));
        // ZooKeeper's Stat shows ephemeralOwner 0 for every znode that is not an ephemeral (DataNode.copyStat).
        assertEquals(0, container.ephemeralOwner());
        assertEquals(0, ttl.stat().ephemeralOwner());
        assertEquals(0, maxTtl.stat().ephemeralOwner());
        assertEquals(0, h.stat("/c").ephemeralOwner());
        assertEquals(List.of("/c"), h.state.containerPaths());
        assertEquals(List.of("/s-0000000002", "/t"), h.state.ttlPaths().stream().sorted().toList());
        h.ok(new Op.Delete("/t", -1));
        h.ok(new Op.Delete("/c", -1));
        assertEquals(List.of("/s-0000000002"), h.state.ttlPaths());
        assertEquals(List.of(), h.state.containerPaths());
    }

    @Test
    void treeChangesNameCreatedDeletedAndChangedPathsWithTheirParents() {
        TreeHarness h = new TreeHarness();
        h.created("/a");
        long z = h.state.lastZxid();
        assertEquals(List.of(new TreeChange(TreeChange.EventType.NodeCreated, "/a", z),
                new TreeChange(TreeChange.EventType.NodeChildrenChanged, "/", z)), h.lastChanges);
        h.ok(new Op.SetData("/a", new byte[1], -1));
        assertEquals(List.of(new TreeChange(TreeChange.EventType.NodeDataChanged, "/a", z + 1)), h.lastChanges);
        h.ok(new Op.SetAcl("/a", Acl.OPEN, -1));
        assertEquals(List.of(), h.lastChanges);
        h.ok(new Op.Delete("/a", -1));
        assertEquals(List.of(new TreeChange(TreeChange.EventType.NodeDeleted, "/a", z + 3),
                new TreeChange(TreeChange.EventType.NodeChildrenChanged, "/", z + 3)), h.lastChanges);
    }

    @Test
    void applyRefusesOutOfOrderZxidsAndTransactionsThatDisagreeWithTheTree() {
        TreeHarness h = new TreeHarness();
        h.created("/a");
        TreeState s = h.state;
        assertThrows(IllegalStateException.class,
                () -> h.apply.apply(s, s.lastZxid(), new TxnRecord(1, new Txn.Noop())));
        for (Txn bad : List.of(
                new Txn.Create("/a", new byte[0], Acl.OPEN, 0),
                new Txn.Create("/missing/b", new byte[0], Acl.OPEN, 0),
                new Txn.Create("/e", new byte[0], Acl.OPEN, 0x4242),
                new Txn.Delete("/missing"),
                new Txn.Delete("/zookeeper"),
                new Txn.SetData("/missing", new byte[0], 1),
                new Txn.CreateSession(1, 1000, new dev.corral.txn.SessionSecret(1, 1)))) {
            TreeState withSession = bad instanceof Txn.CreateSession
                    ? h.apply.apply(s, s.lastZxid() + 1, new TxnRecord(1, new Txn.CreateSession(1, 1000, new dev.corral.txn.SessionSecret(1, 1)))).state()
                    : s;
            assertThrows(IllegalStateException.class,
                    () -> h.apply.apply(withSession, withSession.lastZxid() + 1, new TxnRecord(1, bad)), bad.toString());
        }
    }

    @Test
    void noopAndCheckOnlyAdvanceTheZxid() {
        TreeHarness h = new TreeHarness();
        h.created("/a");
        String before = TreeHarness.dump(h.state).replaceFirst("lastZxid=\\d+", "");
        Apply.Applied noop = h.apply.apply(h.state, 2, new TxnRecord(9, new Txn.Noop()));
        assertEquals(new OpResult.Nothing(), noop.result());
        assertEquals(2, noop.state().lastZxid());
        Apply.Applied check = h.apply.apply(noop.state(), 3, new TxnRecord(9, new Txn.Check("/a")));
        assertEquals(new OpResult.Checked("/a"), check.result());
        assertEquals(before, TreeHarness.dump(check.state()).replaceFirst("lastZxid=\\d+", ""));
        assertEquals(List.of(), check.changes());
    }

    @Test
    void applyingTheLogAgainBuildsTheSameTree() {
        TreeHarness h = new TreeHarness();
        SplittableRandom random = new SplittableRandom(11);
        long session = h.openSession();
        Caller caller = Caller.ANONYMOUS.withSession(session);
        String[] names = {"a", "b", "c"};
        for (int i = 0; i < 600; i++) {
            h.nowMs += random.nextInt(1000);
            String path = "/" + names[random.nextInt(3)] + (random.nextBoolean() ? "" : "/" + names[random.nextInt(3)]);
            byte[] data = new byte[random.nextInt(20)];
            random.nextBytes(data);
            CreateMode mode = CreateMode.values()[random.nextInt(CreateMode.values().length)];
            Op op = switch (random.nextInt(4)) {
                case 0 -> create(path, data, null, mode, mode.isTtl() ? 1 + random.nextInt(10_000) : -1);
                case 1 -> new Op.Delete(path, -1);
                case 2 -> new Op.SetData(path, data, -1);
                default -> new Op.Multi(List.of(create(path + "/m", data, null, CreateMode.PERSISTENT, -1),
                        new Op.SetData(path, data, -1)));
            };
            Prep.Prepared p = h.prep.prep(h.state, op, caller, h.nowMs);
            if (p instanceof Prep.Prepared.Accepted) h.ok(op, caller);
        }
        h.ok(new Op.CloseSession(session));
        assertEquals(TreeHarness.dump(h.state), TreeHarness.dump(h.replay()));
        long[] counted = TreeHarness.countNodesAndBytes(h.state);
        assertEquals(counted[0], h.state.nodeCount());
        assertEquals(counted[1], h.state.dataBytes());
        org.junit.jupiter.api.Assertions.assertTrue(h.log.size() > 150, "the random workload should mostly succeed: " + h.log.size());
    }
}
