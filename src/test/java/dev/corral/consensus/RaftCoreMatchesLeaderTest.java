package dev.corral.consensus;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A follower counts as matched by its leader (and so may call itself caught up) only once it accepted an append or a
 * snapshot of the leader's term: a heartbeat names the leader long before an empty or stale log has the leader's
 * entries, and a commit index of 0 on empty storage says nothing.
 */
class RaftCoreMatchesLeaderTest {
    private static final RaftConfig CONFIG = new RaftConfig(3, Set.of(1, 2, 3), 10, 1, 512, 1 << 20, 64L << 20, 0);

    @Test
    void anEmptyFollowerIsMatchedOnlyAfterItAcceptsWhatTheLeaderSends() {
        RaftCore core = new RaftCore(CONFIG, new SplittableRandom(3), HardState.EMPTY, 0, 0, List.of());
        // Leader 1 of term 2 probes at its last index, 500: this log does not hold it.
        core.step(new Message.Append(1, 3, 2, 500, 2, List.of(), 480));
        assertTrue(core.softState().leaderId() == 1, "the heartbeat names the leader");
        assertFalse(core.matchesLeader(), "a follower that rejected the leader's append is not matched");
        // The leader's snapshot at 480 (term 2) is installed.
        core.step(new Message.InstallSnapshot(1, 3, 2, 480, 2));
        assertTrue(core.matchesLeader());
    }

    @Test
    void anAcceptedAppendMatchesAndANewTermStartsOver() {
        RaftCore core = new RaftCore(CONFIG, new SplittableRandom(3), HardState.EMPTY, 0, 0, List.of());
        core.step(new Message.Append(1, 3, 2, 0, 0, List.of(new Entry(1, 2, new byte[1])), 1));
        assertTrue(core.matchesLeader());
        // Leader 2 of term 3 probes beyond this log.
        core.step(new Message.Append(2, 3, 3, 10, 3, List.of(), 9));
        assertFalse(core.matchesLeader(), "matched by the leader of an earlier term only");
        core.step(new Message.Append(2, 3, 3, 1, 2, List.of(), 9));
        assertTrue(core.matchesLeader());
    }
}
