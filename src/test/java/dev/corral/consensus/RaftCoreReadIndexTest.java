package dev.corral.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Read-index reads ({@link RaftCore#readIndex}): a read is released only after a quorum confirmed, in the leader's
 * term, a round sent after the read arrived; an answer to an earlier round proves nothing about it; reads still
 * waiting when leadership ends fail; a leader that has not committed an entry of its term refuses to serve this way.
 */
class RaftCoreReadIndexTest {
    private static final RaftConfig FIVE = new RaftConfig(1, Set.of(1, 2, 3, 4, 5), 10, 1, 512, 1 << 20, 64L << 20, 0);

    /** Node 1 leads term 2 of five voters and has committed its no-op (nodes 2 and 3 stored it). */
    private static RaftCore leader() {
        RaftCore core = new RaftCore(FIVE, new SplittableRandom(11), HardState.EMPTY, 0, 0, List.of());
        while (core.role() != Role.PRE_CANDIDATE) core.tick();
        core.step(new Message.PreVoteResponse(2, 1, 1, true));
        core.step(new Message.PreVoteResponse(3, 1, 1, true));
        core.step(new Message.VoteResponse(2, 1, 1, true));
        assertFalse(core.readIndex(99), "a candidate serves no reads");
        core.step(new Message.VoteResponse(3, 1, 1, true));
        assertEquals(Role.LEADER, core.role());
        drain(core, new ArrayList<>());
        assertFalse(core.readIndex(98), "a leader that has not committed an entry of its term does not know the commit point");
        core.step(new Message.AppendResponse(2, 1, core.term(), true, core.lastIndex()));
        core.step(new Message.AppendResponse(3, 1, core.term(), true, core.lastIndex()));
        drain(core, new ArrayList<>());
        assertEquals(core.lastIndex(), core.commitIndex());
        return core;
    }

    @Test
    void aReadIsReleasedOnlyWhenAQuorumConfirmsARoundSentAfterIt() {
        RaftCore core = leader();
        long commit = core.commitIndex();
        assertTrue(core.readIndex(1));
        List<Ready.ReadState> reads = new ArrayList<>();
        List<Message> sent = drain(core, reads);
        List<Message.ReadIndex> round = sent.stream().filter(m -> m instanceof Message.ReadIndex).map(m -> (Message.ReadIndex) m).toList();
        assertEquals(List.of(2, 3, 4, 5), round.stream().map(Message::to).toList(), "one round to every other voter");
        long seq = round.getFirst().seq();
        assertTrue(reads.isEmpty());

        core.step(new Message.ReadIndexResponse(2, 1, core.term(), seq));
        drain(core, reads);
        assertTrue(reads.isEmpty(), "two of five is no quorum");
        // An answer in an older term proves nothing (and is not even looked at).
        core.step(new Message.ReadIndexResponse(3, 1, core.term() - 1, seq));
        drain(core, reads);
        assertTrue(reads.isEmpty());
        core.step(new Message.ReadIndexResponse(4, 1, core.term(), seq));
        drain(core, reads);
        assertEquals(List.of(new Ready.ReadState(1, commit)), reads);
    }

    @Test
    void anAnswerToAnEarlierRoundDoesNotConfirmALaterRead() {
        RaftCore core = leader();
        core.readIndex(1);
        List<Ready.ReadState> reads = new ArrayList<>();
        long first = roundOf(drain(core, reads));
        core.readIndex(2);
        long second = roundOf(drain(core, reads));
        assertTrue(second > first);
        core.step(new Message.ReadIndexResponse(2, 1, core.term(), first));
        core.step(new Message.ReadIndexResponse(3, 1, core.term(), first));
        drain(core, reads);
        assertEquals(List.of(1L), reads.stream().map(Ready.ReadState::context).toList(), "only the first read is confirmed");
        core.step(new Message.ReadIndexResponse(2, 1, core.term(), second));
        core.step(new Message.ReadIndexResponse(5, 1, core.term(), second));
        drain(core, reads);
        assertEquals(List.of(1L, 2L), reads.stream().map(Ready.ReadState::context).toList());
    }

    @Test
    void readsArrivingTogetherShareOneRound() {
        RaftCore core = leader();
        for (long c = 1; c <= 50; c++) core.readIndex(c);
        List<Ready.ReadState> reads = new ArrayList<>();
        List<Message> sent = drain(core, reads);
        assertEquals(4, sent.stream().filter(m -> m instanceof Message.ReadIndex).count());
        long seq = roundOf(sent);
        core.step(new Message.ReadIndexResponse(2, 1, core.term(), seq));
        core.step(new Message.ReadIndexResponse(3, 1, core.term(), seq));
        drain(core, reads);
        assertEquals(50, reads.size());
    }

    @Test
    void readsWaitingWhenLeadershipEndsFail() {
        RaftCore core = leader();
        core.readIndex(7);
        List<Ready.ReadState> reads = new ArrayList<>();
        long seq = roundOf(drain(core, reads));
        // A voter answers from a later term: a new leader may have been elected, this one steps down.
        core.step(new Message.AppendResponse(2, 1, core.term() + 1, false, 0));
        assertEquals(Role.FOLLOWER, core.role());
        core.step(new Message.ReadIndexResponse(3, 1, core.term(), seq));
        drain(core, reads);
        assertEquals(1, reads.size());
        assertTrue(reads.getFirst().failed(), "the read failed: " + reads);
        assertFalse(core.readIndex(8));
    }

    @Test
    void aFollowerConfirmsInItsTermAndTellsAStaleLeaderTheNewerOne() {
        RaftConfig config = new RaftConfig(3, Set.of(1, 2, 3), 10, 1, 512, 1 << 20, 64L << 20, 0);
        RaftCore follower = new RaftCore(config, new SplittableRandom(5), new HardState(4, 0, 0), 0, 0, List.of());
        follower.step(new Message.ReadIndex(1, 3, 4, 17));
        List<Message> sent = drain(follower, new ArrayList<>());
        assertEquals(List.of(new Message.ReadIndexResponse(3, 1, 4, 17)), sent);
        assertEquals(1, follower.leaderId());
        // A leader of term 3 (deposed, not yet aware) asks: it is told term 4, which makes it step down.
        follower.step(new Message.ReadIndex(2, 3, 3, 5));
        List<Message> stale = drain(follower, new ArrayList<>());
        assertEquals(1, stale.size());
        assertTrue(stale.getFirst() instanceof Message.AppendResponse r && r.term() == 4 && !r.success(), "got " + stale);
    }

    @Test
    void aSingleVoterServesAtOnce() {
        RaftConfig config = new RaftConfig(1, Set.of(1), 10, 1, 512, 1 << 20, 64L << 20, 0);
        RaftCore core = new RaftCore(config, new SplittableRandom(1), HardState.EMPTY, 0, 0, List.of());
        while (core.role() != Role.LEADER) core.tick();
        drain(core, new ArrayList<>());
        assertTrue(core.readIndex(3));
        List<Ready.ReadState> reads = new ArrayList<>();
        assertTrue(drain(core, reads).isEmpty());
        assertEquals(List.of(new Ready.ReadState(3, core.commitIndex())), reads);
    }

    private static long roundOf(List<Message> sent) {
        return sent.stream().filter(m -> m instanceof Message.ReadIndex).mapToLong(m -> ((Message.ReadIndex) m).seq()).max().orElseThrow();
    }

    /** The driver's steps: persist, then advance; returns the messages sent and adds the reads released. */
    private static List<Message> drain(RaftCore core, List<Ready.ReadState> reads) {
        List<Message> sent = new ArrayList<>();
        while (core.hasReady()) {
            Ready ready = core.ready();
            if (!ready.entries().isEmpty()) core.persisted(ready.lastEntryIndex(), ready.lastEntryTerm());
            sent.addAll(ready.messages());
            reads.addAll(ready.reads());
            core.advance(ready);
        }
        return sent;
    }
}
