package dev.corral.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.consensus.Entry;
import dev.corral.consensus.HardState;
import dev.corral.consensus.Message;
import dev.corral.consensus.RaftConfig;
import dev.corral.consensus.Role;
import dev.corral.consensus.SoftState;
import dev.corral.replica.Replica;
import dev.corral.replica.Sequencer;
import dev.corral.tree.AclTable;
import dev.corral.tree.Apply;
import dev.corral.tree.Caller;
import dev.corral.tree.CreateMode;
import dev.corral.tree.Op;
import dev.corral.tree.Prep;
import dev.corral.tree.TreeChange;
import dev.corral.tree.TreeState;
import dev.corral.txn.Acl;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Scripted runs of the cases Raft is known to get wrong when one rule is missing, each asserting the safe outcome.
 * Each names the planted bug in {@code src/test/bugs} that makes it fail (ScriptedCluster checks that no two nodes
 * ever apply different entries at one index).
 */
class SimHardCasesTest {
    private static Op create(String path) {
        return new Op.Create(path, new byte[] {1}, Acl.OPEN, CreateMode.PERSISTENT, -1);
    }

    private static Predicate<Message> among(Integer... ids) {
        return ScriptedCluster.between(Set.of(ids));
    }

    /** Ticks {@code id} into a pre-vote and exchanges the messages among {@code group} until it leads. */
    private static void elect(ScriptedCluster c, int id, Predicate<Message> group) {
        c.tickUntil(id, Role.PRE_CANDIDATE);
        c.exchange(group);
        assertEquals(Role.LEADER, c.node(id).softState().role(), "node " + id + " did not win: " + c.node(id).softState());
    }

    /**
     * Raft's Figure 8, five nodes, appends of one entry: S1 (term 1) stores X at index 2 on S1 and S2 and goes down;
     * S5 wins term 2 with S3 and S4 and writes its own entry at index 2, alone, and goes down; S1 comes back, wins term
     * 3 and copies X to S3 (a majority now stores X) but not yet its term-3 entry, and goes down; S5 comes back and
     * wins term 4 with S2, S3 and S4, whose logs end in term 1, and replaces X everywhere. X must never have been
     * committed. Fails under {@code 02-figure8-commit-earlier-term}: S1 counts the replicas of X and applies it.
     */
    @Test
    void figure8ALeaderDoesNotCommitAnEntryOfAnEarlierTermByCountingReplicas() {
        ScriptedCluster c = new ScriptedCluster(5, 1);
        elect(c, 1, m -> true);
        c.exchange(m -> true);
        c.tick(1);
        c.exchange(m -> true);
        assertEquals(1, c.node(5).commitIndex());
        // (a) X reaches S2 only.
        c.node(1).submit(create("/x"), Caller.ANONYMOUS, c.now(), "x");
        c.process(1);
        c.exchange(m -> (m.from() == 1 && m.to() == 2) || (m.from() == 2 && m.to() == 1));
        c.drop(m -> true);
        assertEquals(1, c.node(1).commitIndex());
        // (b) S1 is down. S5 wins term 2 with S3 and S4; its entry at index 2 never leaves it.
        for (int id : List.of(2, 3, 4)) c.tickQuietly(id, 10);
        c.tickUntil(5, Role.PRE_CANDIDATE);
        c.exchange(among(3, 4, 5).and(m -> !(m instanceof Message.Append)));
        assertEquals(Role.LEADER, c.node(5).softState().role());
        assertEquals(2, c.node(5).termAt(2));
        c.drop(m -> true);
        // (c) S5 is down; S1 restarts and wins term 3 with S2, S3 and S4. X reaches S3, S1's term-3 entry reaches no one.
        c.restart(1);
        Predicate<Message> withoutS5 = among(1, 2, 3, 4);
        // S1's term-3 entry (index 3) may reach only a node that lacks X, which refuses it.
        Predicate<Message> noTerm3Entry = m -> !(m instanceof Message.Append a) || a.entries().stream().allMatch(e -> e.index() <= 2)
                || c.node(a.to()).lastIndex() < a.prevIndex();
        for (int round = 0; round < 5 && c.node(1).softState().role() != Role.LEADER; round++) {
            for (int id : List.of(2, 3, 4)) c.tickQuietly(id, 10);
            c.tickUntil(1, Role.PRE_CANDIDATE);
            c.exchange(withoutS5.and(noTerm3Entry));
        }
        assertEquals(Role.LEADER, c.node(1).softState().role());
        for (int i = 0; i < 3; i++) {
            c.tick(1);
            c.exchange(withoutS5.and(noTerm3Entry));
        }
        assertEquals(1, c.node(3).termAt(2), "S3 holds X");
        assertTrue(c.node(1).commitIndex() < 2, "S1 committed X by counting replicas of an entry of term 1");
        c.drop(m -> true);
        // (d) S1 is down; S5 restarts and wins term 4 with S2, S3 and S4, and replaces X.
        c.restart(5);
        Predicate<Message> withoutS1 = among(2, 3, 4, 5);
        for (int round = 0; round < 5 && c.node(5).softState().role() != Role.LEADER; round++) {
            for (int id : List.of(2, 3, 4)) c.tickQuietly(id, 10);
            c.tickUntil(5, Role.PRE_CANDIDATE);
            c.exchange(withoutS1);
        }
        assertEquals(Role.LEADER, c.node(5).softState().role());
        for (int i = 0; i < 3; i++) {
            c.tick(5);
            c.exchange(withoutS1);
        }
        assertTrue(c.node(2).commitIndex() >= 3);
        assertEquals(2, c.node(2).termAt(2), "S5's entry replaced X");
        assertNull(c.node(2).committed().find("/x"));
    }

    /**
     * A follower whose log holds entries of an old term beyond the common prefix (S1's /x1 and /x2 of term 1) must
     * refuse an append whose previous entry has another term, and the new leader (S2, term 3) probes back and replaces
     * the whole divergent suffix. Fails under {@code 03-append-without-prev-match}: S1 keeps /x1 and /x2 under the new
     * leader's entries and applies them.
     */
    @Test
    void aFollowersDivergentSuffixIsReplacedByTheNewLeadersEntries() {
        ScriptedCluster c = new ScriptedCluster(3);
        elect(c, 1, m -> true);
        c.exchange(m -> true);
        // S1 proposes /x1 and /x2 (indexes 2 and 3); they never leave it.
        c.node(1).submit(create("/x1"), Caller.ANONYMOUS, c.now(), "x1");
        c.node(1).submit(create("/x2"), Caller.ANONYMOUS, c.now(), "x2");
        c.process(1);
        c.drop(m -> true);
        // S1 is cut off. S3 wins term 2 with S2 and commits its no-op and /q at indexes 2 and 3.
        c.tickQuietly(2, 10);
        elect(c, 3, among(2, 3));
        c.node(3).submit(create("/q"), Caller.ANONYMOUS, c.now(), "q");
        c.process(3);
        c.exchange(among(2, 3));
        c.tick(3);
        c.exchange(among(2, 3));
        assertNotNull(c.node(2).committed().find("/q"));
        c.drop(m -> true);
        // S3 goes down. S1 gives up leading (check-quorum); S2 wins term 3 with S1's vote (S2's log ends in term 2,
        // S1's in term 1).
        c.tickQuietly(1, 25);
        elect(c, 2, among(1, 2));
        for (int i = 0; i < 5; i++) {
            c.tick(2);
            c.exchange(among(1, 2));
        }
        for (long i = 1; i <= c.node(2).lastIndex(); i++) assertEquals(c.node(2).termAt(i), c.node(1).termAt(i), "term at index " + i);
        assertEquals(c.node(2).lastIndex(), c.node(1).lastIndex());
        assertNotNull(c.node(1).committed().find("/q"));
        assertNull(c.node(1).committed().find("/x1"));
        assertNull(c.node(1).committed().find("/x2"));
    }

    /**
     * A candidate whose log ends in the same term as a voter's but is shorter does not get that vote: S3 lacks /a,
     * which S1 and S2 committed, and with S1 down it must not win. Fails under {@code 04-vote-for-stale-log}.
     */
    @Test
    void aCandidateWithAShorterLogOfTheSameTermCannotWin() {
        ScriptedCluster c = new ScriptedCluster(3);
        elect(c, 1, m -> true);
        c.exchange(m -> true);
        c.node(1).submit(create("/a"), Caller.ANONYMOUS, c.now(), "a");
        c.process(1);
        c.exchange(among(1, 2));
        c.tick(1);
        c.exchange(among(1, 2));
        assertNotNull(c.node(1).committed().find("/a"));
        c.drop(m -> true);
        assertEquals(c.node(3).termAt(c.node(3).lastIndex()), c.node(2).termAt(c.node(2).lastIndex()), "both logs end in term 1");
        assertTrue(c.node(3).lastIndex() < c.node(2).lastIndex());
        // S1 is down, and S2 no longer counts on it (leader stickiness would ignore S3 otherwise); S3 campaigns again
        // and again, S2 never does.
        c.tickQuietly(2, 10);
        for (int round = 0; round < 5; round++) {
            c.tickUntil(3, Role.PRE_CANDIDATE);
            c.exchange(among(2, 3));
            assertNotEquals(Role.LEADER, c.node(3).softState().role(), "S3 won without /a");
        }
        elect(c, 2, among(2, 3));
        c.tick(2);
        c.exchange(among(2, 3));
        assertNotNull(c.node(3).committed().find("/a"));
    }

    /**
     * Pre-vote: a node cut off from the others campaigns in vain without raising its term, and when it rejoins, the
     * healthy leader keeps leading in the same term.
     */
    @Test
    void aPartitionedNodeRejoinsWithoutDisruptingTheLeaderOrRaisingItsTerm() {
        ScriptedCluster c = new ScriptedCluster(3);
        elect(c, 1, m -> true);
        c.exchange(m -> true);
        long term = c.node(1).softState().term();
        for (int i = 0; i < 60; i++) {
            c.tick(3);
            c.drop(m -> m.from() == 3 || m.to() == 3);
            c.tick(1);
            c.exchange(among(1, 2));
        }
        assertEquals(term, c.node(3).softState().term(), "the cut-off node raised its term");
        for (int i = 0; i < 5; i++) {
            c.tick(1);
            c.exchange(m -> true);
        }
        SoftState leader = c.node(1).softState();
        assertEquals(Role.LEADER, leader.role());
        assertEquals(term, leader.term());
        assertEquals(1, c.node(3).softState().leaderId());
        assertEquals(term, c.node(3).softState().term());
    }

    /** Check-quorum: a leader that hears from no quorum steps down within two election timeouts (one check round). */
    @Test
    void aLeaderCutOffFromAQuorumStepsDownWithinTwoElectionTimeouts() {
        ScriptedCluster c = new ScriptedCluster(3);
        elect(c, 1, m -> true);
        c.exchange(m -> true);
        int ticks = 0;
        while (c.node(1).softState().role() == Role.LEADER && ticks < 100) {
            c.tick(1);
            c.drop(m -> true);
            ticks++;
        }
        assertEquals(Role.FOLLOWER, c.node(1).softState().role());
        assertTrue(ticks <= 2 * 10, "stepped down only after " + ticks + " ticks");
    }

    /**
     * A vote leaves a node only once the term and vote it promises are durable: a node whose write of its vote for S1
     * was lost in a crash may vote for S3 in the same term after the restart, so the vote for S1 must never have been
     * sent. Fails under {@code 05-answer-before-term-vote-durable}: both votes of term 1 go out.
     */
    @Test
    void aVoteLeavesOnlyOnceDurableSoARestartedNodeNeverVotesTwiceInATerm() {
        List<Message> sent = new ArrayList<>();
        List<Long> writes = new ArrayList<>();
        Sequencer<String> first = sequencer(HardState.EMPTY, sent, writes);
        first.replica().step(new Message.Vote(1, 2, 1, 0, 0));
        first.drain();
        assertEquals(1, writes.size(), "the vote is one write");
        // The node crashes before the write is durable: its disk still holds nothing.
        Sequencer<String> second = sequencer(HardState.EMPTY, sent, writes);
        second.replica().step(new Message.Vote(3, 2, 1, 0, 0));
        second.drain();
        second.durable(1);
        List<Message> granted = sent.stream().filter(m -> m instanceof Message.VoteResponse r && r.granted() && r.term() == 1).toList();
        assertEquals(1, granted.size(), "votes granted in term 1: " + granted);
        assertEquals(3, granted.getFirst().to());
    }

    private static Sequencer<String> sequencer(HardState hs, List<Message> sent, List<Long> writes) {
        AclTable acls = new AclTable();
        Apply apply = new Apply(acls);
        SplittableRandom ids = new SplittableRandom(7);
        Prep prep = new Prep(new Prep.Limits(1 << 20, 200, 10_000), apply, ids::nextLong,
                () -> new dev.corral.txn.SessionSecret(ids.nextLong() | 1, ids.nextLong()));
        RaftConfig config = new RaftConfig(2, Set.of(1, 2, 3), 10, 1, 64, 1 << 20, 64L << 20, RaftConfig.APPLIED_LOG_BYTES_DEFAULT);
        Replica<String> r = new Replica<>(config, new SplittableRandom(2), prep, apply,
                new Replica.Settings(prep.limits(), 10, Replica.PENDING_REQUESTS_DEFAULT), TreeState.initial(), 0, hs, List.of());
        return new Sequencer<>(r, new Sequencer.Io<>() {
            @Override
            public void write(long writeId, HardState hardState, List<Entry> entries) {
                writes.add(writeId);
            }

            @Override
            public void resetToSnapshot(long writeId, Message.InstallSnapshot m) {
                writes.add(writeId);
            }

            @Override
            public void send(Message m) {
                sent.add(m);
            }

            @Override
            public void softState(SoftState s) {
            }

            @Override
            public void applied(Entry e) {
            }

            @Override
            public void committed(TreeState state, List<TreeChange> changes, List<Long> closedSessions) {
            }

            @Override
            public void completed(Replica.Completion<String> c) {
            }

            @Override
            public void digestMismatch(dev.corral.tree.DigestMismatch m) {
                throw new AssertionError("digest mismatch " + m);
            }
        });
    }

    /**
     * Three nodes: A (1) and W (3) store and commit /e while B (2) hears nothing. W's disk is wiped and W comes back
     * with its term restored above every term and told that it lost entries; A is down. B's log lacks /e, so W must not
     * help B win, nor campaign itself, until it has caught up: no leader until A returns, and then W catches up and
     * votes again.
     */
    @Test
    void aNodeWhoseStorageLostEntriesDoesNotVoteUntilItHasCaughtUp() {
        ScriptedCluster c = lostEntryOnW(true);
        for (int round = 0; round < 10; round++) {
            c.tick(2);
            c.tick(3);
            c.exchange(among(2, 3));
            assertNotEquals(Role.LEADER, c.node(2).softState().role(), "B won without /e");
            assertNotEquals(Role.LEADER, c.node(3).softState().role(), "W won without /e");
        }
        assertTrue(c.node(3).catchingUp());
        // A returns: a leader with /e is elected, W catches up from it and votes again.
        for (int round = 0; round < 30 && !(c.node(1).isLeader() && !c.node(3).catchingUp()); round++) {
            for (int id = 1; id <= 3; id++) c.tick(id);
            c.exchange(m -> true);
        }
        assertTrue(c.node(1).isLeader(), "A leads again: " + c.node(1).softState());
        assertFalse(c.node(3).catchingUp(), "W caught up");
        assertNotNull(c.node(3).committed().find("/e"));
    }

    /**
     * The same, with W not told that it lost entries: B and W elect one of them, whose log lacks the committed /e, and
     * it commits another entry at an index where A applied /e.
     */
    @Test
    void withoutTheRuleAWipedNodeHelpsElectALeaderThatLacksACommittedEntry() {
        ScriptedCluster c = lostEntryOnW(false);
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> {
            for (int round = 0; round < 60; round++) {
                c.tick(2);
                c.tick(3);
                c.exchange(among(2, 3));
            }
        });
        assertTrue(e.getMessage().startsWith("state machine safety"), e.getMessage());
    }

    private static ScriptedCluster lostEntryOnW(boolean tellIt) {
        ScriptedCluster c = new ScriptedCluster(3);
        c.tickUntil(1, Role.PRE_CANDIDATE);
        c.exchange(among(1, 3));
        assertEquals(Role.LEADER, c.node(1).softState().role());
        c.node(1).submit(create("/e"), Caller.ANONYMOUS, c.now(), "e");
        c.process(1);
        c.exchange(among(1, 3));
        c.tick(1);
        c.exchange(among(1, 3));
        assertNotNull(c.node(1).committed().find("/e"));
        assertEquals(0, c.node(2).lastIndex());
        c.drop(m -> true);
        long highest = Math.max(c.node(1).softState().term(), c.node(3).softState().term());
        c.wipe(3, highest + 1, tellIt);
        return c;
    }

    /**
     * A deposed leader must not answer a linearizable read from its stale state. Node 1 leads term 1 and is cut off;
     * nodes 2 and 3 elect node 2, which commits and acknowledges a write. Before node 1 notices (check-quorum takes an
     * election timeout), a client asks it for a linearizable read: its read-index round reaches no one who would confirm
     * it, so the read stays unanswered; once the partition heals, node 1 hears of term 2 and the read fails, to be
     * retried at the new leader. Fails under {@code 07-read-index-without-quorum}: node 1 answers at once, at an index
     * before the acknowledged write.
     */
    @Test
    void aDeposedLeaderDoesNotServeALinearizableReadFromItsStaleState() {
        ScriptedCluster c = new ScriptedCluster(3);
        elect(c, 1, m -> true);
        c.exchange(m -> true);
        c.tick(1);
        c.exchange(m -> true);
        long before = c.node(1).commitIndex();
        assertEquals(before, c.node(1).committed().lastZxid());
        // Node 1 is cut off. Node 2 wins term 2 with node 3 and commits a write.
        c.drop(m -> true);
        c.tickQuietly(3, 10);
        elect(c, 2, among(2, 3));
        c.node(2).submit(create("/acked"), Caller.ANONYMOUS, c.now(), "write");
        c.process(2);
        c.exchange(among(2, 3));
        assertTrue(c.outcomes.get("write") instanceof dev.corral.replica.Outcome.Done, "the write was acknowledged: " + c.outcomes.get("write"));
        long acked = ((dev.corral.replica.Outcome.Done) c.outcomes.get("write")).zxid();
        assertTrue(acked > before);
        // Node 1 still believes it leads term 1 and is asked for a linearizable read.
        assertEquals(Role.LEADER, c.node(1).softState().role());
        c.node(1).readBarrier("read");
        c.process(1);
        if (c.outcomes.get("read") instanceof dev.corral.replica.Outcome.Done d) {
            assertTrue(d.zxid() >= acked, "stale linearizable read: answered at zxid " + d.zxid() + " after zxid " + acked + " was acknowledged");
        }
        assertNull(c.outcomes.get("read"), "node 1 cannot confirm its leadership while cut off: " + c.outcomes.get("read"));
        // The partition heals: node 1's round reaches the others, who answer in term 2; node 1 steps down and the read fails.
        c.exchange(m -> true);
        assertNotEquals(Role.LEADER, c.node(1).softState().role());
        assertTrue(c.outcomes.get("read") instanceof dev.corral.replica.Outcome.Unavailable, "got " + c.outcomes.get("read"));
        // At the new leader the read sees the write.
        c.node(2).readBarrier("read2");
        c.process(2);
        c.exchange(m -> true);
        assertTrue(c.outcomes.get("read2") instanceof dev.corral.replica.Outcome.Done d2 && d2.zxid() >= acked, "got " + c.outcomes.get("read2"));
    }
}
