package dev.corral.storage;

import dev.corral.consensus.Entry;
import dev.corral.consensus.HardState;
import java.util.List;

/**
 * The durable replicated log and hard state of one node.
 *
 * <p>Contract, checked by {@code LogStoreContract} against every implementation:
 * <ul>
 *   <li>Entries are contiguous: indexes {@code base().index()+1 … lastIndex()}, with no gaps.</li>
 *   <li>{@link #write} is durable: when it returns, the hard state and every entry are on stable storage
 *       (fsync'd). If it throws, its outcome is unknown: all of it or (where {@link #writesCanTear()} is false)
 *       none of it may be durable, so the caller must reopen the store and read back what is there before it
 *       writes again.</li>
 *   <li>Writing entries whose first index is at or below {@link #lastIndex()} first removes the stored suffix
 *       from that index on; the first index must be at most {@code lastIndex()+1} and above the base.</li>
 *   <li>The stored commit index is a lower bound, never a claim about entries the store did not hold:
 *       {@link #write} stores {@code min(hardState.commit(), last index after the write)}. Entries at or below
 *       it are committed, so they are never removed again (only compacted behind a snapshot), and a log that
 *       ends below it has lost entries.</li>
 *   <li>Every entry is stored with a checksum over (index, term, data), computed before the write;
 *       {@link #readRaw} returns what is stored without judging it, so that recovery can tell a torn tail
 *       from corruption ({@link LogRecovery}).</li>
 *   <li>{@link #writesCanTear()} says whether a crash can leave a write half done. Stores that commit
 *       atomically (SQLite, PostgreSQL) answer false: after a crash every write is there whole or not at all,
 *       so a damaged record, a missing one or one out of place is corruption, never an unfinished write.</li>
 *   <li>Not thread-safe for writes: one writer thread. Reads may run concurrently with writes and see a
 *       committed prefix.</li>
 * </ul>
 * Failures of the backend surface as {@link StorageException}.
 */
public interface LogStore extends AutoCloseable {
    HardState hardState();

    LogBase base();

    /** Index of the last stored entry, or {@code base().index()} if none. */
    long lastIndex();

    /** Durably stores {@code hardState} (if not null) and {@code entries} (possibly empty), in one write. */
    void write(HardState hardState, List<Entry> entries);

    /**
     * True if a crash during {@link #write} can leave a prefix of the write stored followed by a damaged record
     * (a torn tail); such a record was never reported durable, so it was never acknowledged, and recovery may
     * cut it off. False for stores that commit atomically: recovery then cuts nothing, ever.
     */
    boolean writesCanTear();

    /** Stored entries with indexes in [from, to], in order, at most {@code maxCount}. */
    List<StoredEntry> readRaw(long from, long to, int maxCount);

    /** Durably removes every entry with index ≥ {@code fromIndex}, which must be above the stored commit index. */
    void truncateSuffix(long fromIndex);

    /**
     * Removes every entry with index ≤ {@code index} and records ({@code index}, {@code term}) as the base.
     * Only called once a durable snapshot covers {@code index}. Entries after it stay.
     */
    void compact(long index, long term);

    /**
     * Atomically replaces the whole log by a snapshot's end: removes every entry, records ({@code index},
     * {@code term}) as the base and raises the stored commit index to {@code index}. A follower calls it after
     * it stored a leader's snapshot that its log does not reach (or contradicts); a crash leaves either the old
     * log or the reset one, never a mix.
     */
    void resetTo(long index, long term);

    /** Number of stored entries and their payload bytes, for metrics. */
    long sizeBytes();

    @Override
    void close();
}
