package dev.corral.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.consensus.Entry;
import dev.corral.consensus.HardState;
import dev.corral.consensus.RaftConfig;
import dev.corral.consensus.Ready;
import dev.corral.tree.AclTable;
import dev.corral.tree.Apply;
import dev.corral.tree.Caller;
import dev.corral.tree.CreateMode;
import dev.corral.tree.DigestMismatch;
import dev.corral.tree.ErrorCode;
import dev.corral.tree.Op;
import dev.corral.tree.Prep;
import dev.corral.tree.TreeChange;
import dev.corral.tree.TreeState;
import dev.corral.txn.Acl;
import dev.corral.txn.Txn;
import dev.corral.txn.TxnCodec;
import dev.corral.txn.TxnRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A leader applies each entry once: the state it computed when it proposed an entry becomes, as it is, the
 * committed state when the entry commits; and what it holds per write in flight is bounded.
 */
class ReplicaTest {
    private static final long T0 = 1_700_000_000_000L;

    /** An {@link Apply} that remembers what every call returned, by zxid. */
    private static final class RecordingApply extends Apply {
        final Map<Long, Applied> byZxid = new HashMap<>();
        final Map<Long, TxnRecord> records = new HashMap<>();
        int calls;

        RecordingApply() {
            super(new AclTable());
        }

        @Override
        public Applied apply(TreeState state, long zxid, TxnRecord record) {
            Applied a = super.apply(state, zxid, record);
            calls++;
            byZxid.put(zxid, a);
            records.put(zxid, record);
            return a;
        }
    }

    /** A single member and the driver steps around it, with durable writes as soon as they are handed out. */
    private static final class OneNode {
        final RecordingApply apply = new RecordingApply();
        final Replica<String> replica;
        final Map<String, Outcome> outcomes = new HashMap<>();
        final List<TreeChange> changes = new ArrayList<>();
        final List<DigestMismatch> mismatches = new ArrayList<>();
        long now = T0;

        OneNode(int pendingRequestsMax, HardState hardState, List<Entry> stored) {
            this(pendingRequestsMax, Replica.DIGEST_EVERY_ENTRIES_DEFAULT, TreeState.initial(), 0, hardState, stored);
        }

        OneNode(int pendingRequestsMax, int digestEveryEntries, TreeState snapshot, long snapshotTerm, HardState hardState, List<Entry> stored) {
            RaftConfig config = new RaftConfig(1, Set.of(1), 10, 1, 512, 1 << 20, 64L << 20, RaftConfig.APPLIED_LOG_BYTES_DEFAULT);
            SplittableRandom ids = new SplittableRandom(3);
            Prep prep = new Prep(new Prep.Limits(1 << 20, 2000, 40_000), apply, ids::nextLong,
                    () -> new dev.corral.txn.SessionSecret(ids.nextLong() | 1, ids.nextLong()));
            replica = new Replica<>(config, new SplittableRandom(1), prep, apply,
                    new Replica.Settings(prep.limits(), 10, pendingRequestsMax, digestEveryEntries), snapshot, snapshotTerm, hardState, stored);
        }

        OneNode() {
            this(Replica.PENDING_REQUESTS_DEFAULT, HardState.EMPTY, List.of());
        }

        /** Takes the output until there is none; with {@code persist}, reports every write durable at once. */
        void drain(boolean persist) {
            while (true) {
                Replica.Output<String> out = replica.process();
                if (out.isEmpty()) return;
                Ready ready = out.ready();
                if (persist && ready != null && !ready.entries().isEmpty()) {
                    replica.persisted(ready.lastEntryIndex(), ready.lastEntryTerm());
                }
                changes.addAll(out.changes());
                mismatches.addAll(out.digestMismatches());
                for (Replica.Completion<String> c : out.completions()) outcomes.put(c.token(), c.outcome());
            }
        }

        void elect() {
            replica.tick(now += 100);
            drain(true);
            assertTrue(replica.isLeader());
        }

        void submit(Op op, String token) {
            replica.submit(op, Caller.ANONYMOUS, now += 1, token);
        }
    }

    private static Op create(String path) {
        return new Op.Create(path, path.getBytes(), Acl.OPEN, CreateMode.PERSISTENT, -1);
    }

    @Test
    void theCommittedStateIsTheStateTheLeaderComputedWhenItProposedTheEntry() {
        OneNode n = new OneNode();
        n.elect();
        n.submit(create("/a"), "a");
        long index = n.replica.lastIndex();
        Apply.Applied proposed = n.apply.byZxid.get(index);
        assertNotNull(proposed, "the leader applied entry " + index + " when it proposed it");
        n.drain(true);
        assertSame(proposed.state(), n.replica.committed(), "after entry " + index + " commits, the committed state is the proposed one");
        Outcome.Done done = assertInstanceOf(Outcome.Done.class, n.outcomes.get("a"));
        assertSame(proposed.result(), done.result());
        assertEquals(index, done.zxid());
        assertEquals(proposed.changes(), n.changes.subList(n.changes.size() - proposed.changes().size(), n.changes.size()));
        // Several writes committed together: the committed state is the state after the last of them.
        for (String p : List.of("/b", "/c", "/a/d")) n.submit(create(p), p);
        long last = n.replica.lastIndex();
        n.drain(true);
        assertSame(n.apply.byZxid.get(last).state(), n.replica.committed());
        for (String p : List.of("/b", "/c", "/a/d")) assertInstanceOf(Outcome.Done.class, n.outcomes.get(p));
    }

    @Test
    void aLeaderAppliesEachEntryOnce() {
        OneNode n = new OneNode();
        n.elect();
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < 200; i++) {
            n.submit(create("/n" + i), "c" + i);
            if (rng.nextInt(4) == 0) n.submit(new Op.SetData("/n" + i, new byte[] {1}, -1), "s" + i);
            if (rng.nextInt(3) == 0) n.drain(true);
        }
        n.drain(true);
        assertEquals(n.replica.lastIndex(), n.replica.committed().lastZxid());
        assertEquals(n.replica.lastIndex(), n.apply.calls, "applies for " + n.replica.lastIndex() + " entries");
        assertEquals(0, n.replica.speculatedEntries());
    }

    @Test
    void entriesALeaderInheritsAreAppliedOnceAndCommitWithTheStateComputedWhenItsLeadershipBegan() {
        List<Entry> stored = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            byte[] payload = TxnCodec.encode(new TxnRecord(T0, new Txn.Create("/s" + i, new byte[0], Acl.OPEN, 0)));
            stored.add(new Entry(i, 1, payload));
        }
        OneNode n = new OneNode(Replica.PENDING_REQUESTS_DEFAULT, new HardState(1, 1, 0), stored);
        n.elect();
        assertEquals(4, n.replica.committed().lastZxid());
        assertEquals(4, n.apply.calls);
        assertSame(n.apply.byZxid.get(4L).state(), n.replica.committed());
        for (int i = 1; i <= 3; i++) assertNotNull(n.replica.committed().find("/s" + i));
    }

    @Test
    void requestsBeyondThePendingLimitAreThrottledUntilEarlierOnesComplete() {
        OneNode n = new OneNode(2, HardState.EMPTY, List.of());
        n.elect();
        n.submit(create("/a"), "a");
        n.submit(create("/a"), "refused");
        n.submit(create("/b"), "over");
        n.replica.sync("sync");
        n.drain(false);
        assertEquals(2, n.replica.pendingRequests());
        for (String token : List.of("over", "sync")) {
            Outcome.Unavailable u = assertInstanceOf(Outcome.Unavailable.class, n.outcomes.get(token), token);
            assertEquals(ErrorCode.THROTTLED_OP, u.code());
        }
        n.replica.persisted(n.replica.lastIndex(), n.replica.softState().term());
        n.drain(true);
        assertInstanceOf(Outcome.Done.class, n.outcomes.get("a"));
        assertEquals(ErrorCode.NODE_EXISTS, assertInstanceOf(Outcome.Refused.class, n.outcomes.get("refused")).code());
        assertEquals(0, n.replica.pendingRequests());
        n.submit(create("/b"), "b");
        n.drain(true);
        assertInstanceOf(Outcome.Done.class, n.outcomes.get("b"));
    }

    /** The digest checks the replica applied, by zxid, with the digest each carried. */
    private static Map<Long, Long> digestChecks(OneNode n) {
        Map<Long, Long> checks = new java.util.TreeMap<>();
        n.apply.records.forEach((zxid, r) -> {
            if (r.txn() instanceof Txn.DigestCheck d) checks.put(zxid, d.digest());
        });
        return checks;
    }

    @Test
    void aLeaderProposesADigestCheckOnceEnoughEntriesFollowTheLastCarryingTheDigestOfTheStateBeforeIt() {
        OneNode n = new OneNode(Replica.PENDING_REQUESTS_DEFAULT, 5, TreeState.initial(), 0, HardState.EMPTY, List.of());
        n.elect();
        for (int i = 0; i < 5; i++) n.submit(create("/a" + i), "a" + i);
        n.drain(true);
        assertEquals(Map.of(), digestChecks(n), "a check is proposed at a tick, not with a write");
        n.replica.tick(n.now += 100);
        n.drain(true);
        Map<Long, Long> checks = digestChecks(n);
        assertEquals(1, checks.size(), checks.toString());
        long at = checks.keySet().iterator().next();
        assertEquals(n.replica.lastIndex(), at);
        assertEquals(n.apply.byZxid.get(at - 1).state().digest(), checks.get(at), "the check carries the digest of the state before it");
        assertEquals(at, n.replica.committed().lastZxid());
        // Ticks without enough new entries propose nothing more; enough new entries, one more check.
        for (int i = 0; i < 20; i++) {
            n.replica.tick(n.now += 100);
            n.drain(true);
        }
        assertEquals(1, digestChecks(n).size());
        for (int i = 0; i < 5; i++) n.submit(create("/b" + i), "b" + i);
        n.replica.tick(n.now += 100);
        n.drain(true);
        assertEquals(2, digestChecks(n).size());
        assertEquals(List.of(), n.mismatches, "a leader agrees with itself");
    }

    /** A replica built on a snapshot whose tree differs from the one the leader had (one byte of data). */
    private static OneNode divergedReplica(int digestEveryEntries) {
        Apply reference = new Apply(new AclTable());
        TreeState leaders = reference.apply(TreeState.initial(), 1, new TxnRecord(T0, new Txn.Create("/s", new byte[] {1}, Acl.OPEN, 0))).state();
        TreeState ours = reference.apply(TreeState.initial(), 1, new TxnRecord(T0, new Txn.Create("/s", new byte[] {2}, Acl.OPEN, 0))).state();
        List<Entry> stored = List.of(
                new Entry(2, 1, TxnCodec.encode(new TxnRecord(T0, new Txn.Create("/t", new byte[0], Acl.OPEN, 0)))),
                new Entry(3, 1, TxnCodec.encode(new TxnRecord(T0, new Txn.DigestCheck(
                        reference.apply(leaders, 2, new TxnRecord(T0, new Txn.Create("/t", new byte[0], Acl.OPEN, 0))).state().digest())))));
        return new OneNode(Replica.PENDING_REQUESTS_DEFAULT, digestEveryEntries, ours, 1, new HardState(1, 1, 3), stored);
    }

    @Test
    void aReplicaWhoseTreeDiffersFromTheLeadersReportsTheMismatchOnceWhenItAppliesTheNextCheck() {
        OneNode n = divergedReplica(Replica.DIGEST_EVERY_ENTRIES_DEFAULT);
        n.drain(true);
        assertEquals(3, n.replica.committed().lastZxid());
        assertEquals(1, n.mismatches.size(), n.mismatches.toString());
        DigestMismatch m = n.mismatches.getFirst();
        assertEquals(3, m.zxid());
        assertEquals(digestChecks(n).get(3L), m.expected());
        assertEquals(n.apply.byZxid.get(2L).state().digest(), m.actual(), "this node's digest of the state before the check");
        assertEquals(n.replica.committed().digest(), m.actual());
        // Reported once: later outputs do not repeat it.
        n.elect();
        n.submit(create("/u"), "u");
        n.drain(true);
        assertEquals(1, n.mismatches.size());
    }

    @Test
    void withDigestChecksOffNoneIsProposedAndNoneInTheLogIsReported() {
        OneNode n = divergedReplica(0);
        n.drain(true);
        assertEquals(3, n.replica.committed().lastZxid());
        n.elect();
        for (int i = 0; i < 3000; i++) n.submit(create("/n" + i), "n" + i);
        n.replica.tick(n.now += 100);
        n.drain(true);
        assertEquals(List.of(3L), List.copyOf(digestChecks(n).keySet()), "only the check that was in the log");
        assertEquals(List.of(), n.mismatches);
    }
}
