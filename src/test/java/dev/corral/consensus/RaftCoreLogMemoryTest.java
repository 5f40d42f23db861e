package dev.corral.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A single member forgets the payloads of applied entries beyond its byte budget (the log store keeps them),
 * so that the log it holds in memory stays bounded however much is written.
 */
class RaftCoreLogMemoryTest {
    private static final long BUDGET = 20_000;

    private static RaftCore leader(long budget) {
        RaftConfig config = new RaftConfig(1, Set.of(1), 10, 1, 512, 1 << 20, 64L << 20, budget);
        RaftCore core = new RaftCore(config, new SplittableRandom(1), HardState.EMPTY, 0, 0, List.of());
        core.tick();
        assertEquals(Role.LEADER, core.role());
        return core;
    }

    /** Runs the driver's steps: persist what the Ready hands out, then advance; returns the entries applied. */
    private static int cycle(RaftCore core) {
        int applied = 0;
        while (core.hasReady()) {
            Ready ready = core.ready();
            if (!ready.entries().isEmpty()) core.persisted(ready.lastEntryIndex(), ready.lastEntryTerm());
            applied += ready.committed().size();
            core.advance(ready);
        }
        return applied;
    }

    @Test
    void appliedPayloadBytesNeverExceedTheBudgetWhileFarMoreIsWritten() {
        RaftCore core = leader(BUDGET);
        SplittableRandom rng = new SplittableRandom(42);
        long written = 0;
        int applied = 0;
        while (written < 100 * BUDGET) {
            int batch = 1 + rng.nextInt(50);
            for (int i = 0; i < batch; i++) {
                byte[] payload = new byte[1 + rng.nextInt(500)];
                assertInstanceOf(ProposeResult.Accepted.class, core.propose(payload));
                written += payload.length;
            }
            applied += cycle(core);
            assertTrue(core.heldAppliedBytes() <= BUDGET, "held " + core.heldAppliedBytes() + " bytes of applied entries, budget " + BUDGET);
            if (written > 2 * BUDGET) {
                assertTrue(core.heldAppliedBytes() > BUDGET - 600, "forgot more than needed: " + core.heldAppliedBytes() + " bytes held");
            }
        }
        assertEquals(core.lastIndex(), core.appliedIndex());
        assertEquals(core.lastIndex(), applied);
        assertTrue(core.heldFromIndex() > core.lastIndex() / 2, "still holds entries from " + core.heldFromIndex());
        // Forgotten entries keep their terms, which the core needs for elections and matching.
        assertEquals(1, core.termAt(1));
        assertEquals(1, core.termAt(core.heldFromIndex() - 1));
        // An entry not applied yet is always held, whatever the budget.
        RaftCore none = leader(0);
        cycle(none);
        none.propose(new byte[100]);
        Ready ready = none.ready();
        assertEquals(2, none.heldFromIndex());
        none.persisted(ready.lastEntryIndex(), ready.lastEntryTerm());
        cycle(none);
        assertEquals(0, none.heldAppliedBytes());
        assertEquals(3, none.heldFromIndex());
    }

    @Test
    void aMemberWithPeersKeepsEveryPayloadItMayHaveToSend() {
        RaftConfig config = new RaftConfig(1, Set.of(1, 2, 3), 10, 1, 512, 1 << 20, 64L << 20, 0);
        RaftCore core = new RaftCore(config, new SplittableRandom(1), new HardState(1, 1, 3), 0, 0,
                List.of(new Entry(1, 1, new byte[10]), new Entry(2, 1, new byte[10]), new Entry(3, 1, new byte[10])));
        cycle(core);
        assertEquals(3, core.appliedIndex());
        assertEquals(1, core.heldFromIndex());
        assertEquals(3, core.entries(1, 3).size());
    }
}
