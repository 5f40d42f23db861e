package dev.corral.consensus;

import java.util.ArrayList;
import java.util.List;

/**
 * The core's view of its log: every entry after the last compaction point, in memory, with the marks the
 * core needs. The durable copy lives in the driver's log store; this class does no I/O.
 *
 * <p>Invariants: {@code snapIndex ≤ applied ≤ committed}; {@code applied ≤ stable ≤ lastIndex()} except that a
 * follower's {@code committed} may run ahead of what it has; {@code handedOff ≤ lastIndex()}; entry k of
 * {@code entries} has index {@code snapIndex + 1 + k}; terms never decrease along the log.
 */
final class RaftLog {
    private long snapIndex;
    private long snapTerm;
    private final ArrayList<Entry> entries = new ArrayList<>();
    /** Last index handed to the driver for persisting. */
    long handedOff;
    /** Last index the driver reported durable (with a matching term). */
    long stable;
    long committed;
    long applied;

    RaftLog(long snapIndex, long snapTerm, List<Entry> stored, long commit) {
        this.snapIndex = snapIndex;
        this.snapTerm = snapTerm;
        long expected = snapIndex + 1;
        long lastTerm = snapTerm;
        for (Entry e : stored) {
            if (e.index() != expected || e.term() < lastTerm) {
                throw new IllegalStateException("stored log is not contiguous at index " + e.index() + " (expected " + expected
                        + ", term " + e.term() + " after " + lastTerm + ")");
            }
            entries.add(e);
            expected++;
            lastTerm = e.term();
        }
        this.handedOff = lastIndex();
        this.stable = lastIndex();
        this.applied = snapIndex;
        this.committed = Math.max(snapIndex, Math.min(commit, lastIndex()));
    }

    long firstIndex() {
        return snapIndex + 1;
    }

    long snapIndex() {
        return snapIndex;
    }

    long lastIndex() {
        return snapIndex + entries.size();
    }

    long lastTerm() {
        return entries.isEmpty() ? snapTerm : entries.getLast().term();
    }

    /** Term of the entry at {@code index}; -1 if it is compacted away or beyond the end. */
    long term(long index) {
        if (index == snapIndex) return snapTerm;
        if (index < snapIndex || index > lastIndex()) return -1;
        return entries.get((int) (index - snapIndex - 1)).term();
    }

    Entry entry(long index) {
        return entries.get((int) (index - snapIndex - 1));
    }

    boolean matches(long index, long term) {
        return term(index) == term;
    }

    /** Raft's election restriction: is a log ending at ({@code lastIndex}, {@code lastTerm}) at least as up to date? */
    boolean isUpToDate(long lastIndex, long lastTerm) {
        return lastTerm > lastTerm() || (lastTerm == lastTerm() && lastIndex >= lastIndex());
    }

    /** Entries in [lo, hi], at most {@code maxCount} and about {@code maxBytes} (at least one). */
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
        entries.add(e);
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
            for (int j = k; j < incoming.size(); j++) entries.add(incoming.get(j));
            break;
        }
        return prevIndex + incoming.size();
    }

    private void truncateFrom(long index) {
        int keep = (int) (index - snapIndex - 1);
        entries.subList(keep, entries.size()).clear();
        handedOff = Math.min(handedOff, index - 1);
        stable = Math.min(stable, index - 1);
    }

    /** Unstable entries not yet handed to the driver. */
    List<Entry> takeUnhanded() {
        if (handedOff >= lastIndex()) return List.of();
        List<Entry> out = List.copyOf(entries.subList((int) (handedOff - snapIndex), entries.size()));
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

    /** Forgets entries up to {@code index} (which must be applied), remembering its term. */
    void compact(long index) {
        if (index <= snapIndex) return;
        if (index > applied) throw new IllegalStateException("compact to " + index + " beyond applied " + applied);
        long t = term(index);
        entries.subList(0, (int) (index - snapIndex)).clear();
        snapIndex = index;
        snapTerm = t;
    }

    /** Replaces the whole log by a snapshot at ({@code index}, {@code term}). */
    void restore(long index, long term) {
        entries.clear();
        snapIndex = index;
        snapTerm = term;
        handedOff = index;
        stable = index;
        committed = index;
        applied = index;
    }
}
