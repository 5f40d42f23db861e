package dev.corral.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.consensus.Entry;
import dev.corral.consensus.HardState;
import dev.corral.consensus.RaftConfig;
import dev.corral.replica.Outcome;
import dev.corral.tree.AclTable;
import dev.corral.tree.Apply;
import dev.corral.tree.Caller;
import dev.corral.tree.CreateMode;
import dev.corral.tree.Op;
import dev.corral.tree.Prep;
import dev.corral.tree.TreeState;
import dev.corral.txn.Acl;
import dev.corral.txn.Txn;
import dev.corral.txn.TxnCodec;
import dev.corral.txn.TxnRecord;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The driver's side of replica digests: a digest check that finds this node's tree different from the leader's is
 * counted, and makes the node not ready (and stop serving reads) with a reason naming the zxid and both digests; a
 * node that checks its own writes finds nothing and stays ready. The real driver and replica run on their threads;
 * the storage is {@link FlakyStorage}, left healthy.
 */
class NodeDigestTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final long T0 = 1_700_000_000_000L;

    private final FlakyStorage storage = new FlakyStorage();
    private final List<String> fatal = new CopyOnWriteArrayList<>();
    private final AtomicInteger mismatches = new AtomicInteger();
    private NodeDriver node;

    private NodeDriver start(int digestEveryEntries) {
        RaftConfig raft = new RaftConfig(1, Set.of(1), 10, 1, 512, 1 << 20, 64L << 20, RaftConfig.APPLIED_LOG_BYTES_DEFAULT);
        NodeDriver.Settings settings = new NodeDriver.Settings(raft, 10, new Prep.Limits(1 << 20, 4000, 40000), 100, 1_000_000,
                1L << 30, 10_000, 2, 1000, 10_000, 1000, 10_000, 10_000, digestEveryEntries, false);
        NodeMetrics metrics = new NodeMetrics() {
            @Override
            public void logWrite(long nanos, int entries) {}

            @Override
            public void commit(long nanos) {}

            @Override
            public void leaderChanged() {}

            @Override
            public void snapshotTaken(long nanos, long bytes) {}

            @Override
            public void storageFailed() {}

            @Override
            public void digestMismatch() {
                mismatches.incrementAndGet();
            }
        };
        node = new NodeDriver(settings, storage.open(), storage, metrics, System::currentTimeMillis, fatal::add);
        node.start();
        return node;
    }

    @AfterEach
    void stop() {
        if (node != null) node.close();
    }

    @Test
    void aMismatchIsCountedAndMakesTheNodeNotReadyWithBothDigestsButWritesGoOn() throws Exception {
        // The log holds a check whose digest is not that of the tree before it: as if the leader that wrote it had
        // a different tree (a single node is its own leader, so only its log can disagree with it).
        TreeState afterA = new Apply(new AclTable()).apply(TreeState.initial(), 1, record(new Txn.Create("/a", new byte[] {1}, Acl.OPEN, 0)))
                .state();
        long leaders = afterA.digest() ^ 0x10;
        storage.disk.write(new HardState(1, 1, 2), List.of(
                new Entry(1, 1, TxnCodec.encode(record(new Txn.Create("/a", new byte[] {1}, Acl.OPEN, 0)))),
                new Entry(2, 1, TxnCodec.encode(record(new Txn.DigestCheck(leaders))))));
        start(1000);
        await("the node reports the divergence", () -> node.status().divergence() != null);
        NodeStatus s = node.status();
        String expected = "replica digest mismatch at zxid 2: expected " + hex(leaders) + ", has " + hex(afterA.digest());
        assertEquals(expected, s.divergence());
        assertFalse(s.isReady());
        assertFalse(s.servesReads(), "a diverged tree serves no reads");
        await("a leader is known", () -> node.status().leaderId() != 0 && node.status().caughtUp());
        assertEquals(expected, node.status().notReadyReason());
        assertEquals(1, mismatches.get());
        // Writes go on (through the leader, here this node), and the node stays not ready.
        Outcome o = node.write(new Op.Create("/b", new byte[0], Acl.OPEN, CreateMode.PERSISTENT, -1), Caller.ANONYMOUS).get(30, TimeUnit.SECONDS);
        assertInstanceOf(Outcome.Done.class, o);
        assertFalse(node.status().isReady());
        assertEquals(1, mismatches.get());
        assertTrue(fatal.isEmpty(), fatal.toString());
    }

    @Test
    void aNodeThatChecksItsOwnWritesFindsNoMismatchAndStaysReady() throws Exception {
        start(3);
        await("the node is ready", () -> node.status().isReady());
        // Writes until a digest check has been applied between two of them: a gap in their zxids.
        long previous = -1;
        int checksSeen = 0;
        for (int i = 0; i < 500 && checksSeen < 2; i++) {
            Outcome o = node.write(new Op.Create("/n" + i, new byte[] {(byte) i}, Acl.OPEN, CreateMode.PERSISTENT, -1), Caller.ANONYMOUS)
                    .get(30, TimeUnit.SECONDS);
            long zxid = assertInstanceOf(Outcome.Done.class, o).zxid();
            if (previous >= 0 && zxid > previous + 1) checksSeen++;
            previous = zxid;
        }
        assertTrue(checksSeen >= 2, "no digest check was applied between 500 writes");
        assertTrue(node.status().isReady());
        assertNull(node.status().divergence());
        assertEquals(0, mismatches.get());
    }

    private static TxnRecord record(Txn txn) {
        return new TxnRecord(T0, txn);
    }

    private static String hex(long v) {
        String h = Long.toHexString(v);
        return "0".repeat(16 - h.length()) + h;
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
