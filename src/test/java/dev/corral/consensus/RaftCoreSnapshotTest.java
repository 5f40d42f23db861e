package dev.corral.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A follower that needs entries the leader compacted away is sent to the leader's newest durable snapshot, not to
 * the compaction point: the node keeps entries behind its snapshot (corral.snapshot.keep-entries), so the compaction
 * point is no snapshot's index, and a follower asking for it would fetch nothing, for ever.
 */
class RaftCoreSnapshotTest {
    private static final int ENTRIES = 300;

    @Test
    void aFollowerWithAnEmptyLogIsSentTheNewestSnapshotNotTheCompactionPoint() {
        RaftConfig config = new RaftConfig(1, Set.of(1, 2, 3), 10, 1, 512, 1 << 20, 64L << 20, 0);
        List<Entry> stored = new ArrayList<>();
        for (long i = 1; i <= ENTRIES; i++) stored.add(new Entry(i, 1, new byte[8]));
        RaftCore core = new RaftCore(config, new SplittableRandom(7), new HardState(1, 0, ENTRIES), 0, 0, stored);
        drain(core);
        // Elected with node 2's votes: pre-vote, then vote at term 2.
        while (core.role() != Role.PRE_CANDIDATE) core.tick();
        core.step(new Message.PreVoteResponse(2, 1, 2, true));
        core.step(new Message.VoteResponse(2, 1, 2, true));
        assertEquals(Role.LEADER, core.role());
        drain(core);
        core.step(new Message.AppendResponse(2, 1, 2, true, core.lastIndex()));
        drain(core);
        assertTrue(core.appliedIndex() > ENTRIES, "applied " + core.appliedIndex());

        core.snapshotted(200);
        core.compact(150);
        drain(core);
        // Node 3 lost its log (a wiped data directory): it rejects and hints index 0.
        core.step(new Message.AppendResponse(3, 1, 2, false, 0));
        List<Message.InstallSnapshot> installs = new ArrayList<>();
        for (Message m : drain(core)) if (m instanceof Message.InstallSnapshot s && s.to() == 3) installs.add(s);
        assertEquals(List.of(new Message.InstallSnapshot(1, 3, 2, 200, 1)), installs);
    }

    /** The driver's steps: persist, then advance; returns the messages sent. */
    private static List<Message> drain(RaftCore core) {
        List<Message> sent = new ArrayList<>();
        while (core.hasReady()) {
            Ready ready = core.ready();
            if (!ready.entries().isEmpty()) core.persisted(ready.lastEntryIndex(), ready.lastEntryTerm());
            sent.addAll(ready.messages());
            core.advance(ready);
        }
        return sent;
    }
}
