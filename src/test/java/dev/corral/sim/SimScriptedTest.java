package dev.corral.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.consensus.Message;
import dev.corral.consensus.Role;
import dev.corral.replica.Outcome;
import dev.corral.tree.AclTable;
import dev.corral.tree.Apply;
import dev.corral.tree.Caller;
import dev.corral.tree.CreateMode;
import dev.corral.tree.Digest;
import dev.corral.tree.DigestMismatch;
import dev.corral.tree.Op;
import dev.corral.tree.TreeState;
import dev.corral.txn.Acl;
import dev.corral.txn.Txn;
import dev.corral.txn.TxnRecord;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Scripted scenarios for bugs the simulation found, so that they stay fixed whatever the seeds do. */
class SimScriptedTest {
    private static Op create(String path) {
        return new Op.Create(path, new byte[] {1}, Acl.OPEN, CreateMode.PERSISTENT, -1);
    }

    /**
     * A leader deposed by an append from its successor, before its driver calls process(), must not validate
     * requests against its old speculative state: that state holds its proposals the successor has just
     * overwritten, and a refusal computed from it would be released once the successor's entry at the barrier
     * commits (found by the simulation as a refusal that validation against the committed state contradicts).
     */
    @Test
    void aDeposedLeaderDoesNotRefuseRequestsFromItsLostProposalsBeforeItsDriverProcesses() {
        ScriptedCluster c = new ScriptedCluster(3);
        c.tickUntil(1, Role.PRE_CANDIDATE);
        c.exchange(m -> true);
        assertEquals(Role.LEADER, c.node(1).softState().role());
        c.exchange(m -> true);
        // Node 1 proposes /x, but the proposal never leaves it.
        c.node(1).submit(create("/x"), Caller.ANONYMOUS, c.now(), "lost");
        c.process(1);
        c.drop(ScriptedCluster.from(1));
        // Node 2 takes over with node 3 and commits its own entry at the same index.
        c.tickQuietly(3, 10);
        c.tickUntil(2, Role.PRE_CANDIDATE);
        c.drop(ScriptedCluster.to(1));
        c.exchange(ScriptedCluster.between(Set.of(2, 3)));
        assertEquals(Role.LEADER, c.node(2).softState().role());
        c.exchange(ScriptedCluster.between(Set.of(2, 3)));
        // Node 1 hears from the new leader; its driver has not processed yet when a client asks it to create /x.
        c.deliver(m -> m.from() == 2 && m.to() == 1);
        c.node(2).tick(c.now() + 10);
        c.process(2);
        c.deliver(m -> m.from() == 2 && m.to() == 1);
        c.node(1).submit(create("/x"), Caller.ANONYMOUS, c.now(), "again");
        c.process(1);
        c.exchange(m -> true);
        for (int i = 0; i < 5; i++) {
            c.node(2).tick(c.now() + 10 * (i + 2));
            c.process(2);
            c.exchange(m -> true);
        }
        assertNull(c.node(1).committed().find("/x"), "/x was never committed");
        Outcome o = c.outcomes.get("again");
        assertTrue(!(o instanceof Outcome.Refused), "node 1 refused create /x although /x does not exist: " + o);
    }

    /**
     * When an append starts beyond the end of a follower's log, the follower must answer with its last index, not
     * its commit point: a leader that streams entries takes a hint below what it knows the follower matches for a
     * stale rejection, ignores it, and keeps streaming past the follower's end (found by the simulation as a
     * cluster that commits a few entries per second, or none, after one lost append).
     */
    @Test
    void aLeaderResendsTheMissingEntriesWhenAFollowerRejectsAnAppendBeyondItsLog() {
        ScriptedCluster c = new ScriptedCluster(3);
        c.tickUntil(1, Role.PRE_CANDIDATE);
        c.exchange(m -> true);
        c.exchange(m -> true);
        // Node 2 stores and acknowledges two entries but never hears that they committed.
        c.node(1).submit(create("/a"), Caller.ANONYMOUS, c.now(), "a");
        c.node(1).submit(create("/b"), Caller.ANONYMOUS, c.now(), "b");
        c.process(1);
        c.exchange(m -> m.to() == 2 && m instanceof Message.Append ap && !ap.entries().isEmpty()
                || m.from() == 2 || m.to() == 3 || m.from() == 3);
        c.drop(ScriptedCluster.to(2));
        long matched = c.node(2).lastIndex();
        assertEquals(c.node(1).lastIndex(), matched);
        // The next append to node 2 is lost; the one after it arrives and is rejected.
        c.node(1).submit(create("/c"), Caller.ANONYMOUS, c.now(), "c");
        c.process(1);
        c.drop(ScriptedCluster.to(2));
        c.node(1).submit(create("/d"), Caller.ANONYMOUS, c.now(), "d");
        c.process(1);
        c.drop(m -> m.to() != 2);
        c.deliver(ScriptedCluster.to(2));
        c.process(2);
        c.deliver(ScriptedCluster.from(2));
        c.process(1);
        boolean resent = c.inFlight.stream().anyMatch(m -> m.to() == 2 && m instanceof Message.Append ap
                && ap.prevIndex() == matched && !ap.entries().isEmpty());
        assertTrue(resent, "after the rejection, the leader did not resend from index " + (matched + 1) + ": " + c.inFlight);
    }

    /**
     * A leader keeps the state it computed for each proposal and takes it as the committed state when that entry
     * commits. Deposed, it may still use those states for its entries that survive (a later leader commits them),
     * but never for an index where a later leader's entry replaced its own.
     */
    @Test
    void aDeposedLeaderUsesItsStatesOnlyForItsEntriesThatSurvive() {
        ScriptedCluster c = new ScriptedCluster(3);
        c.tickUntil(1, Role.PRE_CANDIDATE);
        c.exchange(m -> true);
        c.exchange(m -> true);
        // /b reaches node 2 (its acknowledgement is lost); /x never leaves node 1.
        c.node(1).submit(create("/b"), Caller.ANONYMOUS, c.now(), "b");
        c.process(1);
        c.deliver(m -> m.from() == 1 && m.to() == 2);
        c.process(2);
        c.drop(m -> true);
        c.node(1).submit(create("/x"), Caller.ANONYMOUS, c.now(), "x");
        c.process(1);
        c.drop(m -> true);
        // Node 2, whose log holds /b, takes over with node 3 and commits /b, then /c where node 1 has /x.
        c.tickQuietly(3, 10);
        c.tickUntil(2, Role.PRE_CANDIDATE);
        c.drop(ScriptedCluster.to(1));
        c.exchange(ScriptedCluster.between(Set.of(2, 3)));
        assertEquals(Role.LEADER, c.node(2).softState().role());
        c.node(2).submit(create("/c"), Caller.ANONYMOUS, c.now(), "c");
        c.process(2);
        c.exchange(ScriptedCluster.between(Set.of(2, 3)));
        assertNotNull(c.node(2).committed().find("/c"));
        // Node 1 hears from node 2 and catches up.
        for (int i = 0; i < 5; i++) {
            c.node(2).tick(c.now() + 10 * (i + 1));
            c.process(2);
            c.exchange(m -> true);
        }
        assertEquals(c.node(2).committed().lastZxid(), c.node(1).committed().lastZxid());
        assertNotNull(c.node(1).committed().find("/b"));
        assertNotNull(c.node(1).committed().find("/c"), "node 1 applied the entry that replaced its proposal");
        assertNull(c.node(1).committed().find("/x"), "node 1 kept the state it computed for its lost proposal");
        assertTrue(c.outcomes.get("b") instanceof Outcome.Done, "the surviving proposal's request: " + c.outcomes.get("b"));
        assertTrue(c.outcomes.get("x") instanceof Outcome.Lost, "the lost proposal's request: " + c.outcomes.get("x"));
        assertEquals(TreeDigest.of(c.node(2).committed()), TreeDigest.of(c.node(1).committed()));
    }

    /** An {@link Apply} with a bug: it stores the data of every setData of /victim with its first byte flipped. */
    private static final class CorruptingApply extends Apply {
        CorruptingApply(AclTable acls) {
            super(acls);
        }

        @Override
        public Applied apply(TreeState state, long zxid, TxnRecord record) {
            if (record.txn() instanceof Txn.SetData d && d.path().equals("/victim")) {
                byte[] flipped = d.data().clone();
                flipped[0] ^= 1;
                record = new TxnRecord(record.timeMs(), new Txn.SetData(d.path(), flipped, d.version()));
            }
            return super.apply(state, zxid, record);
        }
    }

    /**
     * A follower whose tree went wrong (here its apply corrupts one write) is caught by the next digest check the
     * leader proposes: that follower, and only it, reports a mismatch naming the check's zxid, the leader's digest and
     * its own, which is the digest of its corrupted tree.
     */
    @Test
    void aFollowerWhoseTreeWentWrongReportsADigestMismatchAtTheNextCheckAndNoOtherNodeDoes() {
        ScriptedCluster c = new ScriptedCluster(3, 4, (id, acls) -> id == 3 ? new CorruptingApply(acls) : new Apply(acls));
        c.tickUntil(1, Role.PRE_CANDIDATE);
        c.exchange(m -> true);
        assertEquals(Role.LEADER, c.node(1).softState().role());
        c.exchange(m -> true);
        c.node(1).submit(create("/victim"), Caller.ANONYMOUS, c.now(), "create");
        c.node(1).submit(new Op.SetData("/victim", new byte[] {7, 7}, -1), Caller.ANONYMOUS, c.now(), "set");
        for (int i = 0; i < 3; i++) c.node(1).submit(create("/other" + i), Caller.ANONYMOUS, c.now(), "other" + i);
        c.process(1);
        c.exchange(m -> true);
        long corruptedAt = ((Outcome.Done) c.outcomes.get("set")).zxid();
        for (int i = 0; i < 5; i++) {
            c.node(1).tick(c.now() + 10 * (i + 1));
            c.process(1);
            c.exchange(m -> true);
        }
        long applied = c.node(1).committed().lastZxid();
        assertEquals(applied, c.node(3).committed().lastZxid(), "node 3 applied every entry");
        assertEquals(List.of(), c.mismatches.get(1), "the leader");
        assertEquals(List.of(), c.mismatches.get(2), "the healthy follower");
        List<DigestMismatch> found = c.mismatches.get(3);
        assertEquals(1, found.size(), found.toString());
        DigestMismatch m = found.getFirst();
        assertTrue(m.zxid() > corruptedAt && m.zxid() <= applied, m.describe());
        assertNotEquals(m.expected(), m.actual());
        assertEquals(c.node(3).committed().digest(), m.actual(), "node 3's own digest (nothing changed since the check)");
        assertEquals(c.node(1).committed().digest(), m.expected(), "the leader's");
        assertEquals(Digest.of(c.node(3).committed()), c.node(3).committed().digest(), "node 3's digest is that of its corrupted tree");
        assertEquals(7 ^ 1, c.node(3).committed().find("/victim").data()[0]);
    }
}
