package dev.corral.storage;

import dev.corral.consensus.Entry;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a log back at start-up and decides what to do with damaged records.
 *
 * <p>A record is good if it passes its checksum, holds the next index and does not lower the term. What
 * follows the first record that is not good decides:
 * <ul>
 *   <li>In a store that commits atomically ({@link LogStore#writesCanTear()} false: SQLite, PostgreSQL) there are
 *       no unfinished writes, so any such record, and any missing one (a gap in the indexes), is corruption:
 *       recovery stops with a {@link CorruptLogException} naming the index, whatever follows.</li>
 *   <li>In a store whose writes can tear, damaged records that run to the end of the log are a torn tail, a write
 *       that never completed and so was never acknowledged: they are cut off, unless they start at or below the
 *       stored commit index (committed entries were durable, so damage there is corruption). Damage followed by
 *       a record that passes its checksum is corruption in the middle.</li>
 * </ul>
 * A log that ends below its stored commit index has lost committed entries: corruption in every store. A
 * missing last entry above the stored commit index cannot be told from a write that never happened (the store
 * holds no other record of it) and is taken as one.
 */
public final class LogRecovery {
    private static final int BATCH = 4096;

    /** How an operator gets a node with a corrupt log back; the end of every refusal. */
    public static final String HOW_TO_RECOVER = "To recover, restore this node's storage from a backup taken before the damage"
            + " (README, \"Durability and backups\"); once Corral runs as a cluster, a member can instead be wiped and re-synced"
            + " from its peers. Nothing has been changed.";

    private LogRecovery() {}

    /** What recovery found. {@code truncatedFrom} is 0 if the tail was intact. */
    public record Result(List<Entry> entries, long truncatedFrom, int damagedRecords) {}

    /** The first record that is not good: the index it should have held, and a clause saying what is wrong. */
    private record Damage(long index, String what) {}

    public static Result recover(LogStore store) {
        LogBase base = store.base();
        long last = store.lastIndex();
        long commit = store.hardState().commit();
        List<Entry> entries = new ArrayList<>();
        Damage damage = null;
        int damaged = 0;
        long expected = base.index() + 1;
        long prevTerm = base.term();
        for (long from = expected; from <= last; ) {
            // Read up to the end, not a fixed window: a gap wider than a batch must show up as a gap.
            List<StoredEntry> batch = store.readRaw(from, last, BATCH);
            if (batch.isEmpty()) {
                if (damage == null) damage = new Damage(expected, "log entries " + expected + " to " + last + " are missing");
                break;
            }
            for (StoredEntry s : batch) {
                if (damage == null) {
                    String problem = problem(s, expected, prevTerm);
                    if (problem == null) {
                        entries.add(s.entry());
                        prevTerm = s.term();
                        expected++;
                        continue;
                    }
                    damage = new Damage(expected, problem);
                    if (!store.writesCanTear()) throw atomicStoreDamaged(damage);
                    damaged++;
                } else if (s.isIntact()) {
                    throw corrupt(damage, "and entry " + s.index() + " after it is intact: the log is damaged in the middle");
                } else {
                    damaged++;
                }
            }
            from = batch.getLast().index() + 1;
        }
        if (damage == null) {
            if (last < commit) {
                throw corrupt(new Damage(last + 1, "log entry " + (last + 1) + " is missing: the log ends at " + last
                        + ", below its stored commit index " + commit), "entries up to " + commit + " were committed and durable");
            }
            return new Result(entries, 0, 0);
        }
        if (!store.writesCanTear()) throw atomicStoreDamaged(damage);
        if (damage.index() <= commit) {
            throw corrupt(damage, "and it is at or below the stored commit index " + commit
                    + ", so it was durable before and is not an unfinished write");
        }
        store.truncateSuffix(damage.index());
        return new Result(entries, damage.index(), damaged);
    }

    /** What is wrong with {@code s} as the record for index {@code expected}, or null if it is good. */
    private static String problem(StoredEntry s, long expected, long prevTerm) {
        if (s.index() > expected) return "log entry " + expected + " is missing (the next stored entry is " + s.index() + ")";
        if (s.index() < expected) return "log entry " + expected + " is corrupt: the record in its place holds index " + s.index();
        if (!s.isIntact()) return "log entry " + expected + " is corrupt: it fails its checksum";
        if (s.term() < prevTerm) {
            return "log entry " + expected + " is corrupt: its term " + s.term() + " is below the term " + prevTerm + " of the entry before it";
        }
        return null;
    }

    private static CorruptLogException atomicStoreDamaged(Damage damage) {
        return corrupt(damage, "the log's store commits atomically, so this is not an unfinished write but damage to"
                + " a written entry, which may hold an acknowledged write");
    }

    private static CorruptLogException corrupt(Damage damage, String why) {
        return new CorruptLogException(damage.index(), damage.what() + "; " + why + ". Refusing to start rather than serve a tree"
                + " without it. " + HOW_TO_RECOVER);
    }
}
