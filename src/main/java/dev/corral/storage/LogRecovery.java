package dev.corral.storage;

import dev.corral.consensus.Entry;
import dev.corral.txn.CorruptRecordException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a log back at start-up and decides what to do with damaged records.
 *
 * <p>A damaged record followed only by damaged records is a torn tail (a write that never completed, or
 * whose last bytes were lost): it cannot have been acknowledged, so it is cut off. A damaged record followed
 * by an intact one means the middle of the log is corrupt; serving a tree built from it would be wrong, so
 * recovery stops with a message naming the index.
 */
public final class LogRecovery {
    private static final int BATCH = 4096;

    private LogRecovery() {}

    /** What recovery found. {@code truncatedFrom} is 0 if the tail was intact. */
    public record Result(List<Entry> entries, long truncatedFrom, int damagedRecords) {}

    public static Result recover(LogStore store) {
        long base = store.base().index();
        long last = store.lastIndex();
        List<Entry> entries = new ArrayList<>();
        long firstDamaged = 0;
        int damaged = 0;
        long expected = base + 1;
        long prevTerm = store.base().term();
        for (long from = base + 1; from <= last; ) {
            List<StoredEntry> batch = store.readRaw(from, Math.min(last, from + BATCH - 1), BATCH);
            if (batch.isEmpty()) break;
            for (StoredEntry s : batch) {
                boolean intact = s.isIntact() && s.index() == expected && s.term() >= prevTerm;
                if (!intact) {
                    if (firstDamaged == 0) firstDamaged = expected;
                    damaged++;
                } else if (firstDamaged != 0) {
                    throw new CorruptRecordException("log entry " + firstDamaged + " is corrupt but entry " + s.index()
                            + " after it is intact: the log is damaged in the middle; refusing to start");
                } else {
                    entries.add(s.entry());
                    prevTerm = s.term();
                }
                expected++;
            }
            from = batch.getLast().index() + 1;
        }
        if (firstDamaged != 0) store.truncateSuffix(firstDamaged);
        return new Result(entries, firstDamaged, damaged);
    }
}
