package dev.corral.node;

import dev.corral.replica.Outcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.consensus.RaftConfig;
import dev.corral.tree.Caller;
import dev.corral.tree.CreateMode;
import dev.corral.tree.ErrorCode;
import dev.corral.tree.Op;
import dev.corral.tree.OpResult;
import dev.corral.tree.Prep;
import dev.corral.txn.Acl;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The driver rides out storage outages (issue #6, §5): it refuses writes and answers reads while the storage is
 * away, tells the requests in flight that their outcome is unknown, reopens the storage by itself, re-reads
 * what is durable (a write whose acknowledgement was lost did happen) and resumes, never stopping the process
 * except when the storage lost acknowledged writes or must not be used. The real driver and replica run on
 * their threads; only the storage is {@link FlakyStorage}.
 */
class StorageOutageTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final FlakyStorage storage = new FlakyStorage();
    private final List<String> fatal = new CopyOnWriteArrayList<>();
    private NodeDriver node;

    private NodeDriver start() {
        RaftConfig raft = new RaftConfig(1, Set.of(1), 10, 1, 512, 1 << 20, 64L << 20, RaftConfig.APPLIED_LOG_BYTES_DEFAULT);
        NodeDriver.Settings settings = new NodeDriver.Settings(raft, 10, new Prep.Limits(1 << 20, 4000, 40000), 100, 1_000_000,
                1L << 30, 10_000, 2, 1000, 10_000, 1000, 10_000, 10_000);
        node = new NodeDriver(settings, storage.open(), storage, NodeMetrics.NONE, System::currentTimeMillis, fatal::add);
        node.start();
        await("the node is ready", () -> node.status().isReady());
        return node;
    }

    @AfterEach
    void stop() {
        if (node != null) node.close();
    }

    @Test
    void outageRefusesWritesKeepsReadsAndResumesByItselfWithWhatWasDurable() throws Exception {
        start();
        List<Long> acked = new ArrayList<>();
        for (int i = 0; i < 20; i++) acked.add(done(create("/a" + i)).zxid());
        long session = ((OpResult.SessionOpened) done(node.write(new Op.CreateSession(10_000), Caller.ANONYMOUS)).result()).sessionId();

        // The database goes away under a write; its commit reaches the disk but the acknowledgement is lost.
        storage.down = true;
        storage.commitNextFailingWrite = true;
        Outcome inDoubt = submit("/committed-but-unacknowledged").get(30, TimeUnit.SECONDS);
        assertInstanceOf(Outcome.Unknown.class, inDoubt, "a write in flight at the failure");

        NodeStatus s = node.status();
        assertEquals(NodeStatus.Phase.STORAGE_UNAVAILABLE, s.phase());
        assertFalse(s.isReady(), "not ready without storage");
        assertTrue(s.servesReads(), "reads go on: the tree holds every acknowledged write");
        assertTrue(s.notReadyReason().contains("connection lost"), s.notReadyReason());
        assertTrue(fatal.isEmpty(), "the node stopped: " + fatal);
        for (int i = 0; i < 20; i++) assertNotNull(node.state().find("/a" + i), "/a" + i);
        Outcome refused = submit("/during").get(5, TimeUnit.SECONDS);
        Outcome.Unavailable u = assertInstanceOf(Outcome.Unavailable.class, refused);
        assertEquals(ErrorCode.NOT_READONLY, u.code());
        assertTrue(u.message().contains("cannot take writes") && u.message().contains("connection lost"), u.message());
        assertTrue(node.touchSession(session).get(5, TimeUnit.SECONDS), "a live session is not expired by an outage");
        int opensDuringOutage = storage.opens.get();

        storage.down = false;
        await("the node is ready again", () -> node.status().isReady());
        assertTrue(storage.opens.get() > opensDuringOutage, "the storage was reopened");
        assertNotNull(node.state().find("/committed-but-unacknowledged"), "the durable entry of the failed write was re-read and applied");
        assertNull(node.state().find("/during"));
        for (int i = 0; i < 20; i++) assertNotNull(node.state().find("/a" + i), "/a" + i);
        Outcome.Done after = done(create("/after"));
        assertTrue(after.zxid() > acked.getLast(), "zxid " + after.zxid());
        assertNotNull(node.state().session(session), "the session survived the outage");
        assertTrue(fatal.isEmpty(), "the node stopped: " + fatal);
    }

    @Test
    void writeThatFailedBeforeItsCommitIsNeitherAcknowledgedNorApplied() throws Exception {
        start();
        done(create("/before"));
        storage.down = true;
        assertInstanceOf(Outcome.Unknown.class, submit("/lost").get(30, TimeUnit.SECONDS));
        await("the node has no storage", () -> node.status().phase() == NodeStatus.Phase.STORAGE_UNAVAILABLE);
        storage.down = false;
        await("the node is ready again", () -> node.status().isReady());
        assertNull(node.state().find("/lost"), "a write that never became durable was applied");
        assertNotNull(node.state().find("/before"));
        done(create("/lost"));
    }

    @Test
    void storageThatOpensButCannotBeWrittenKeepsTheNodeUnavailableUntilAWriteSucceeds() throws Exception {
        start();
        done(create("/before"));
        // A full disk: the storage opens and reads, every write fails. Each reopen rebuilds the replica, whose
        // first write fails again; the node must neither stop nor report ready in between.
        storage.full = true;
        assertInstanceOf(Outcome.Unknown.class, submit("/x").get(30, TimeUnit.SECONDS));
        int opens = storage.opens.get();
        await("three reopen attempts, each failing on its first write", () -> {
            NodeStatus s = node.status();
            assertFalse(s.isReady(), "ready while its storage cannot be written");
            assertTrue(s.servesReads(), "reads stopped during the outage");
            return storage.opens.get() >= opens + 3;
        });
        assertTrue(fatal.isEmpty(), "the node stopped: " + fatal);
        assertNull(node.state().find("/x"));
        storage.full = false;
        await("the node is ready again", () -> node.status().isReady());
        done(create("/after"));
        assertTrue(fatal.isEmpty(), "the node stopped: " + fatal);
    }

    @Test
    void storageThatLostAcknowledgedWritesStopsTheNode() throws Exception {
        start();
        for (int i = 0; i < 5; i++) done(create("/a" + i));
        long last = storage.disk.lastIndex();
        storage.down = true;
        submit("/x").get(30, TimeUnit.SECONDS);
        await("the node has no storage", () -> node.status().phase() == NodeStatus.Phase.STORAGE_UNAVAILABLE);
        // The database comes back from an old backup: the last acknowledged writes are gone.
        storage.disk.truncateSuffix(last - 2);
        storage.down = false;
        await("the node stops", () -> !fatal.isEmpty());
        assertEquals(NodeStatus.Phase.FAILED, node.status().phase());
        assertTrue(fatal.getFirst().contains("the storage lost acknowledged writes"), fatal.getFirst());
        assertNotNull(node.state().find("/a4"), "the served tree went back in time");
    }

    @Test
    void storageTakenByAnotherNodeDuringTheOutageStopsTheNode() throws Exception {
        start();
        done(create("/a"));
        storage.down = true;
        submit("/x").get(30, TimeUnit.SECONDS);
        storage.refuse = true;
        await("the node stops", () -> !fatal.isEmpty());
        assertEquals(NodeStatus.Phase.FAILED, node.status().phase());
        assertTrue(fatal.getFirst().contains("in use by another Corral node"), fatal.getFirst());
    }

    // ---- helpers ----

    private static Op create(String path) {
        return new Op.Create(path, path.getBytes(StandardCharsets.UTF_8), Acl.OPEN, CreateMode.PERSISTENT, -1);
    }

    private CompletableFuture<Outcome> submit(String path) {
        return node.write(create(path), Caller.ANONYMOUS);
    }

    private Outcome.Done done(Op op) throws Exception {
        return done(node.write(op, Caller.ANONYMOUS));
    }

    private static Outcome.Done done(CompletableFuture<Outcome> f) throws Exception {
        Outcome o = f.get(30, TimeUnit.SECONDS);
        return assertInstanceOf(Outcome.Done.class, o, "outcome " + o);
    }

    private static void await(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) throw new AssertionError("timed out after " + DEADLINE + " waiting until " + what);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
