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
 *   <li>{@link #write} is atomic and durable: when it returns, the hard state and every entry are on stable
 *       storage (fsync'd), or the call threw and nothing of it is visible after a restart.</li>
 *   <li>Writing entries whose first index is at or below {@link #lastIndex()} first removes the stored suffix
 *       from that index on; the first index must be at most {@code lastIndex()+1} and above the base.</li>
 *   <li>Every entry is stored with a checksum over (index, term, data), computed before the write;
 *       {@link #readRaw} returns what is stored without judging it, so that recovery can tell a torn tail
 *       from corruption in the middle ({@link LogRecovery}).</li>
 *   <li>Not thread-safe for writes: one writer thread. Reads may run concurrently with writes and see a
 *       committed prefix.</li>
 * </ul>
 * Failures surface as {@link StorageException}.
 */
public interface LogStore extends AutoCloseable {
    HardState hardState();

    LogBase base();

    /** Index of the last stored entry, or {@code base().index()} if none. */
    long lastIndex();

    /** Atomically and durably stores {@code hardState} (if not null) and {@code entries} (possibly empty). */
    void write(HardState hardState, List<Entry> entries);

    /** Stored entries with indexes in [from, to], in order, at most {@code maxCount}. */
    List<StoredEntry> readRaw(long from, long to, int maxCount);

    /** Durably removes every entry with index ≥ {@code fromIndex}. */
    void truncateSuffix(long fromIndex);

    /**
     * Removes every entry with index ≤ {@code index} and records ({@code index}, {@code term}) as the base.
     * Only called once a durable snapshot covers {@code index}. Entries after it stay.
     */
    void compact(long index, long term);

    /** Number of stored entries and their payload bytes, for metrics. */
    long sizeBytes();

    @Override
    void close();
}
