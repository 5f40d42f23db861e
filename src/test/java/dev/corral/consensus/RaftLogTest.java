package dev.corral.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The core's in-memory log once it forgets payloads: terms stay known for every entry after the compaction
 * point, whatever was forgotten, compacted or truncated, and only applied entries are ever forgotten.
 */
class RaftLogTest {
    private static Entry entry(long index, long term) {
        return new Entry(index, term, new byte[] {(byte) index});
    }

    /** A log of {@code n} entries after {@code snapIndex} whose terms change every few entries, as a reference. */
    private static long[] terms(SplittableRandom rng, long snapTerm, int n) {
        long[] terms = new long[n];
        long t = snapTerm;
        for (int i = 0; i < n; i++) {
            if (rng.nextInt(4) == 0) t += 1 + rng.nextInt(2);
            terms[i] = Math.max(t, 1);
        }
        return terms;
    }

    private static long reference(long[] terms, long snapIndex, long snapTerm, long index) {
        return index == snapIndex ? snapTerm : terms[(int) (index - snapIndex - 1)];
    }

    @Test
    void termsOfForgottenCompactedAndTruncatedEntriesMatchAReferenceLog() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int round = 0; round < 200; round++) {
            long snapIndex = rng.nextInt(5);
            long snapTerm = snapIndex == 0 ? 0 : 1;
            int n = 1 + rng.nextInt(40);
            long[] terms = terms(rng, snapTerm, n);
            List<Entry> stored = new ArrayList<>();
            for (int i = 0; i < n; i++) stored.add(entry(snapIndex + 1 + i, terms[i]));
            RaftLog log = new RaftLog(snapIndex, snapTerm, stored, 0);
            // Commit and apply a prefix, forget part of it, compact part of that.
            long applied = snapIndex + rng.nextInt(n + 1);
            log.committed = applied;
            log.markApplied(applied);
            log.forget(rng.nextInt(3) * RaftLog.ENTRY_OVERHEAD_BYTES, applied);
            long compactTo = snapIndex + rng.nextInt((int) (applied - snapIndex) + 1);
            log.compact(compactTo);
            // Replace an uncommitted suffix, if there is one, by entries of a newer term.
            long lastIndex = snapIndex + n;
            if (applied < lastIndex && rng.nextBoolean()) {
                long from = applied + 1 + rng.nextInt((int) (lastIndex - applied));
                long newTerm = terms[n - 1] + 1;
                List<Entry> incoming = new ArrayList<>();
                int added = rng.nextInt(4);
                for (long i = from; i < from + added + 1; i++) incoming.add(entry(i, newTerm));
                log.appendFromLeader(from - 1, incoming);
                long[] next = new long[(int) (from - snapIndex - 1) + incoming.size()];
                System.arraycopy(terms, 0, next, 0, (int) (from - snapIndex - 1));
                for (int k = 0; k < incoming.size(); k++) next[(int) (from - snapIndex - 1) + k] = newTerm;
                terms = next;
                lastIndex = from + added;
            }
            assertEquals(lastIndex, log.lastIndex(), "round " + round);
            assertEquals(compactTo, log.snapIndex(), "round " + round);
            for (long i = compactTo; i <= lastIndex; i++) {
                assertEquals(reference(terms, snapIndex, snapTerm, i), log.term(i), "term of entry " + i + " in round " + round);
            }
            assertEquals(-1, log.term(compactTo - 1));
            assertEquals(-1, log.term(lastIndex + 1));
            assertEquals(reference(terms, snapIndex, snapTerm, lastIndex), log.lastTerm(), "last term in round " + round);
            for (long i = Math.max(log.heldFrom(), applied + 1); i <= lastIndex; i++) assertEquals(i, log.entry(i).index());
        }
    }

    @Test
    void onlyAppliedEntriesAreForgottenAndTheHeldOnesStayWithinTheBudget() {
        RaftLog log = new RaftLog(0, 0, List.of(), 0);
        long budget = 10 * (RaftLog.ENTRY_OVERHEAD_BYTES + 1);
        for (long i = 1; i <= 1000; i++) {
            log.append(entry(i, 1));
            if (i % 7 == 0) {
                log.committed = i - 3;
                log.markApplied(i - 3);
                log.forget(budget, Long.MAX_VALUE);
                assertEquals(Math.min(i - 3, 10) * (RaftLog.ENTRY_OVERHEAD_BYTES + 1), log.heldAppliedBytes());
                assertEquals(Math.max(1, i - 3 - 9), log.heldFrom());
            }
        }
        // Entries not yet applied are held whatever the budget.
        log.forget(0, Long.MAX_VALUE);
        assertEquals(log.applied() + 1, log.heldFrom());
        assertEquals(log.applied() + 1, log.entry(log.applied() + 1).index());
        assertThrows(IllegalStateException.class, () -> log.entry(log.applied()));
        // Nothing beyond the given limit is forgotten.
        RaftLog kept = new RaftLog(0, 0, List.of(entry(1, 1), entry(2, 1), entry(3, 1)), 3);
        kept.markApplied(3);
        kept.forget(0, 1);
        assertEquals(2, kept.heldFrom());
        assertEquals(2, kept.entry(2).index());
        assertThrows(IllegalStateException.class, () -> kept.entry(1));
    }
}
