package dev.corral.lin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Histories of {@link RegisterSimulation}, which are linearizable by construction, must all be accepted; the same
 * histories with one read changed so that no linearization can exist must all be rejected. A failure names the
 * seed; {@code RegisterSimulation.run(seed)} replays it.
 */
class RandomHistoriesTest {
    private static final int SEEDS = 300;
    private static final LinearizabilityChecker CHECKER = new LinearizabilityChecker();

    @Test
    void simulatedLinearizableRegisterHistoriesAreAllAccepted() {
        int unknown = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            History h = RegisterSimulation.run(seed);
            CheckResult r = CHECKER.check(h);
            long s = seed;
            assertEquals(CheckResult.Verdict.LINEARIZABLE, r.verdict(), () -> "seed " + s + "\n" + r.describe());
            unknown += (int) h.ops().stream().filter(o -> o.outcome() == Op.Outcome.UNKNOWN).count();
        }
        assertTrue(unknown > 100, "the runs must have unknown outcomes to be worth anything, had " + unknown);
    }

    @Test
    void aReadOfAValueWrittenOnlyAfterTheReadCompletedIsRejected() {
        rejectAllMutated(RandomHistoriesTest::readFromTheFuture);
    }

    @Test
    void aReadOfAValueOverwrittenBeforeTheReadWasInvokedIsRejected() {
        rejectAllMutated(RandomHistoriesTest::readFromThePast);
    }

    @Test
    void largeHistoryOfFiveClientsOnThreeKeysIsChecked() {
        History h = RegisterSimulation.run(42, new RegisterSimulation.Settings(5, 3, 2_000, 0.02, false));
        CheckResult r = CHECKER.check(h);
        assertEquals(CheckResult.Verdict.LINEARIZABLE, r.verdict(), r::describe);
        assertEquals(3, r.keys().size());

        History broken = readFromTheFuture(h, new SplittableRandom(42));
        assertNotNull(broken);
        assertEquals(CheckResult.Verdict.NOT_LINEARIZABLE, CHECKER.check(broken).verdict());
    }

    private static void rejectAllMutated(BiFunction<History, SplittableRandom, History> mutation) {
        for (long seed = 1; seed <= SEEDS; seed++) {
            History h = RegisterSimulation.run(seed);
            History broken = mutation.apply(h, new SplittableRandom(seed));
            long s = seed;
            assertNotNull(broken, () -> "seed " + s + " gave no history to mutate; make the simulation's runs longer");
            CheckResult r = CHECKER.check(broken);
            assertEquals(CheckResult.Verdict.NOT_LINEARIZABLE, r.verdict(), () -> "seed " + s + "\n" + r.describe());
        }
    }

    /**
     * One linearizable read now returns what a write invoked after the read completed wrote. The write's value is
     * unique, so the register could hold it only after that write's invoke, and the read had to take effect before.
     * Null if the history has no such pair.
     */
    static History readFromTheFuture(History h, SplittableRandom rng) {
        List<Op> ops = h.ops();
        List<Op[]> pairs = new ArrayList<>();
        for (Op read : ops) {
            if (!isCheckedRead(read)) continue;
            for (Op w : ops) {
                if (w.key().equals(read.key()) && w.kind() != Op.Kind.READ && w.invokeNanos() > read.completeNanos()) {
                    pairs.add(new Op[] {read, w});
                    break;
                }
            }
        }
        if (pairs.isEmpty()) return null;
        Op[] pair = pairs.get(rng.nextInt(pairs.size()));
        Op w = pair[1];
        return replace(h, pair[0], new Register(w.value(), w.result() == null ? 1 : w.result().version()));
    }

    /**
     * One linearizable read now returns an older state of its key (the initial one, or what an acknowledged write
     * wrote) although a write acknowledged with a higher version completed before the read was invoked. Versions
     * never go down (there is no delete), so the register can no longer hold the older state. Null if the history
     * has no such read.
     */
    static History readFromThePast(History h, SplittableRandom rng) {
        List<Op> ops = h.ops();
        List<Op> reads = new ArrayList<>();
        List<Register> olderStates = new ArrayList<>();
        for (Op read : ops) {
            if (!isCheckedRead(read)) continue;
            Op newer = null;
            for (Op w : ops) {
                if (isAcknowledgedWrite(w, read) && w.completeNanos() < read.invokeNanos()
                        && (newer == null || w.result().version() > newer.result().version())) {
                    newer = w;
                }
            }
            if (newer == null) continue;
            List<Register> older = new ArrayList<>(List.of(h.initial().getOrDefault(read.key(), Register.ABSENT)));
            for (Op w : ops) {
                if (isAcknowledgedWrite(w, read) && w.result().version() < newer.result().version()) older.add(w.result());
            }
            reads.add(read);
            olderStates.add(older.get(rng.nextInt(older.size())));
        }
        if (reads.isEmpty()) return null;
        int i = rng.nextInt(reads.size());
        return replace(h, reads.get(i), olderStates.get(i));
    }

    private static boolean isCheckedRead(Op op) {
        return op.kind() == Op.Kind.READ && op.linearizable() && op.outcome() == Op.Outcome.OK;
    }

    private static boolean isAcknowledgedWrite(Op w, Op read) {
        return w.key().equals(read.key()) && w.kind() != Op.Kind.READ && w.outcome() == Op.Outcome.OK;
    }

    private static History replace(History h, Op read, Register seen) {
        List<Op> ops = new ArrayList<>();
        for (Op op : h.ops()) {
            ops.add(op.id() != read.id() ? op : new Op(op.id(), op.process(), op.key(), op.kind(), op.value(), op.expectedVersion(),
                    op.linearizable(), op.invokeNanos(), op.outcome(), op.completeNanos(), seen, op.error()));
        }
        return History.of(ops, h.initial());
    }
}
