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
        int calls;

        RecordingApply() {
            super(new AclTable());
        }

        @Override
        public Applied apply(TreeState state, long zxid, TxnRecord record) {
            Applied a = super.apply(state, zxid, record);
            calls++;
            byZxid.put(zxid, a);
            return a;
        }
    }

    /** A single member and the driver steps around it, with durable writes as soon as they are handed out. */
    private static final class OneNode {
        final RecordingApply apply = new RecordingApply();
        final Replica<String> replica;
        final Map<String, Outcome> outcomes = new HashMap<>();
        final List<TreeChange> changes = new ArrayList<>();
        long now = T0;

        OneNode(int pendingRequestsMax, HardState hardState, List<Entry> stored) {
            RaftConfig config = new RaftConfig(1, Set.of(1), 10, 1, 512, 1 << 20, 64L << 20, RaftConfig.APPLIED_LOG_BYTES_DEFAULT);
            SplittableRandom ids = new SplittableRandom(3);
            Prep prep = new Prep(new Prep.Limits(1 << 20, 2000, 40_000), apply, ids::nextLong,
                    () -> new dev.corral.txn.SessionSecret(ids.nextLong() | 1, ids.nextLong()));
            replica = new Replica<>(config, new SplittableRandom(1), prep, apply, new Replica.Settings(prep.limits(), 10, pendingRequestsMax),
                    TreeState.initial(), 0, hardState, stored);
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
}
