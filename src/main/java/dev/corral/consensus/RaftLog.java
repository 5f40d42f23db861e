package dev.corral.consensus;

import java.util.ArrayList;
import java.util.List;

/**
 * The core's view of its log: the index and term of every entry after the last compaction point, the
 * payloads of those it may still need, and the marks the core needs. The durable copy lives in the driver's
 * log store; this class does no I/O.
 *
 * <p>Payloads are held for every entry not yet applied, and for applied entries only while {@link #forget}
 * keeps them (the newest ones, within a byte budget): an applied entry's payload is in the log store, and a
 * single member never reads it again. Terms are kept for every entry as runs (first index, term), so asking
 * for the term of a forgotten entry costs nothing per entry.
 *
 * <p>Invariants: {@code snapIndex ≤ applied ≤ committed}; {@code applied ≤ stable ≤ lastIndex()} except that a
 * follower's {@code committed} may run ahead of what it has; {@code handedOff ≤ lastIndex()};
 * {@code snapIndex < heldFrom ≤ applied + 1} (every entry not yet applied is held); terms never decrease
 * along the log.
 */
final class RaftLog {
    /** What an entry costs in memory beyond its payload (the {@link Entry} and the payload array's header), roughly. */
    static final long ENTRY_OVERHEAD_BYTES = 48;

    private long snapIndex;
    private long snapTerm;
    private long lastIndex;
    /**
     * The terms of the entries after {@code snapIndex}, as runs {first index, term}: a run covers the indexes from
     * its first to the next run's first (or to {@code lastIndex}). There is one run per term, not per entry.
     */
    private final List<long[]> runs = new ArrayList<>();
    /** The held entries, indexes {@code heldFrom} to {@code lastIndex}. */
    private final EntryWindow held = new EntryWindow();
    private long heldFrom;
    /** Bytes ({@link #cost}) of the held entries at or below {@code applied}. */
    private long heldAppliedBytes;
    /** Last index handed to the driver for persisting. */
    long handedOff;
    /** Last index the driver reported durable (with a matching term). */
    long stable;
    long committed;
    private long applied;

    RaftLog(long snapIndex, long snapTerm, List<Entry> stored, long commit) {
        this.snapIndex = snapIndex;
        this.snapTerm = snapTerm;
        this.lastIndex = snapIndex;
        this.heldFrom = snapIndex + 1;
        long expected = snapIndex + 1;
        long lastTerm = snapTerm;
        for (Entry e : stored) {
            if (e.index() != expected || e.term() < lastTerm) {
                throw new IllegalStateException("stored log is not contiguous at index " + e.index() + " (expected " + expected
                        + ", term " + e.term() + " after " + lastTerm + ")");
            }
            add(e);
            expected++;
            lastTerm = e.term();
        }
        this.handedOff = lastIndex();
        this.stable = lastIndex();
        this.applied = snapIndex;
        this.committed = Math.max(snapIndex, Math.min(commit, lastIndex()));
    }

    /** What holding {@code e} costs, for the budget of {@link #forget}. */
    static long cost(Entry e) {
        return e.data().length + ENTRY_OVERHEAD_BYTES;
    }

    long firstIndex() {
        return snapIndex + 1;
    }

    long snapIndex() {
        return snapIndex;
    }

    long lastIndex() {
        return lastIndex;
    }

    long lastTerm() {
        return runs.isEmpty() ? snapTerm : runs.getLast()[1];
    }

    long applied() {
        return applied;
    }

    /** The first index whose payload is held; entries from here to {@link #lastIndex()} can be read. */
    long heldFrom() {
        return heldFrom;
    }

    /** Bytes ({@link #cost}) held for entries already applied: what {@link #forget} keeps within its budget. */
    long heldAppliedBytes() {
        return heldAppliedBytes;
    }

    /** Term of the entry at {@code index}; -1 if it is compacted away or beyond the end. */
    long term(long index) {
        if (index == snapIndex) return snapTerm;
        if (index < snapIndex || index > lastIndex) return -1;
        if (index >= heldFrom) return held.get((int) (index - heldFrom)).term();
        int lo = 0;
        int hi = runs.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (runs.get(mid)[0] <= index) lo = mid;
            else hi = mid - 1;
        }
        return runs.get(lo)[1];
    }

    /** The entry at {@code index}, which must be held (not applied and forgotten). */
    Entry entry(long index) {
        if (index < heldFrom || index > lastIndex) {
            throw new IllegalStateException("entry " + index + " is not held in memory (held: " + heldFrom + " to " + lastIndex + ")");
        }
        return held.get((int) (index - heldFrom));
    }

    boolean matches(long index, long term) {
        return term(index) == term;
    }

    /** Raft's election restriction: is a log ending at ({@code lastIndex}, {@code lastTerm}) at least as up to date? */
    boolean isUpToDate(long lastIndex, long lastTerm) {
        return lastTerm > lastTerm() || (lastTerm == lastTerm() && lastIndex >= lastIndex());
    }

    /** Held entries in [lo, hi], at most {@code maxCount} and about {@code maxBytes} (at least one). */
    List<Entry> slice(long lo, long hi, int maxCount, long maxBytes) {
        List<Entry> out = new ArrayList<>();
        long bytes = 0;
        for (long i = lo; i <= hi && out.size() < maxCount; i++) {
            Entry e = entry(i);
            bytes += e.data().length;
            if (!out.isEmpty() && bytes > maxBytes) break;
            out.add(e);
        }
        return out;
    }

    void append(Entry e) {
        if (e.index() != lastIndex() + 1) throw new IllegalStateException("append at " + e.index() + " after " + lastIndex());
        add(e);
    }

    private void add(Entry e) {
        if (runs.isEmpty() || runs.getLast()[1] != e.term()) {
            runs.add(new long[] {e.index(), e.term()});
        }
        held.addLast(e);
        lastIndex = e.index();
    }

    /**
     * Appends a leader's entries that follow a matching (prevIndex, prevTerm): skips those already present,
     * truncates at the first conflict and appends the rest. Returns the index of the last entry of the
     * message. Truncating a committed entry is a safety violation and throws.
     */
    long appendFromLeader(long prevIndex, List<Entry> incoming) {
        for (int k = 0; k < incoming.size(); k++) {
            Entry e = incoming.get(k);
            if (e.index() <= snapIndex) continue;
            if (e.index() <= lastIndex()) {
                if (term(e.index()) == e.term()) continue;
                if (e.index() <= committed) {
                    throw new IllegalStateException("leader asked to overwrite committed entry " + e.index() + " (term "
                            + term(e.index()) + ", commit " + committed + ") with term " + e.term());
                }
                truncateFrom(e.index());
            }
            for (int j = k; j < incoming.size(); j++) add(incoming.get(j));
            break;
        }
        return prevIndex + incoming.size();
    }

    /** Drops the entries from {@code index} on, none of them committed (so all of them held). */
    private void truncateFrom(long index) {
        held.removeLast((int) (lastIndex - index + 1));
        while (!runs.isEmpty() && runs.getLast()[0] >= index) runs.removeLast();
        lastIndex = index - 1;
        handedOff = Math.min(handedOff, index - 1);
        stable = Math.min(stable, index - 1);
    }

    /** Unstable entries not yet handed to the driver (never applied, so held). */
    List<Entry> takeUnhanded() {
        if (handedOff >= lastIndex()) return List.of();
        List<Entry> out = slice(handedOff + 1, lastIndex, Integer.MAX_VALUE, Long.MAX_VALUE);
        handedOff = lastIndex();
        return out;
    }

    void markStable(long index, long term) {
        if (index > stable && index <= lastIndex() && term(index) == term) stable = index;
    }

    /** Committed entries that are durable here and not yet handed out for applying. */
    List<Entry> takeApplicable(long handedOutThrough, int maxCount, long maxBytes) {
        long hi = Math.min(committed, stable);
        if (hi <= handedOutThrough) return List.of();
        return slice(handedOutThrough + 1, hi, maxCount, maxBytes);
    }

    /** Records that the entries up to {@code index} are applied. */
    void markApplied(long index) {
        for (long i = applied + 1; i <= index; i++) heldAppliedBytes += cost(entry(i));
        applied = Math.max(applied, index);
    }

    /**
     * Forgets the payloads of the oldest applied entries, at or below {@code through}, until those still held
     * cost at most {@code budgetBytes}. Their terms stay known.
     */
    void forget(long budgetBytes, long through) {
        long limit = Math.min(through, applied);
        while (heldFrom <= limit && heldAppliedBytes > budgetBytes) dropFirst();
    }

    private void dropFirst() {
        heldAppliedBytes -= cost(held.removeFirst());
        heldFrom++;
    }

    /** Forgets entries up to {@code index} (which must be applied), remembering its term. */
    void compact(long index) {
        if (index <= snapIndex) return;
        if (index > applied) throw new IllegalStateException("compact to " + index + " beyond applied " + applied);
        long t = term(index);
        while (heldFrom <= index) dropFirst();
        // Runs that end at or before the new snapshot point go; the one that covers it now starts after it.
        while (runs.size() > 1 && runs.get(1)[0] <= index + 1) runs.removeFirst();
        if (!runs.isEmpty() && runs.getFirst()[0] <= index) {
            if (index == lastIndex) runs.removeFirst();
            else runs.getFirst()[0] = index + 1;
        }
        snapIndex = index;
        snapTerm = t;
    }

    /** Replaces the whole log by a snapshot at ({@code index}, {@code term}). */
    void restore(long index, long term) {
        held.clear();
        runs.clear();
        heldAppliedBytes = 0;
        snapIndex = index;
        snapTerm = term;
        lastIndex = index;
        heldFrom = index + 1;
        handedOff = index;
        stable = index;
        committed = index;
        applied = index;
    }
}
