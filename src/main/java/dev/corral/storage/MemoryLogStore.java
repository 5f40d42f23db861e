package dev.corral.storage;

import dev.corral.consensus.Entry;
import dev.corral.consensus.HardState;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link LogStore} in memory: for tests and the simulator. "Durable" means "kept by this object". A store
 * made by {@link #withTornWrites()} stands for a disk whose writes can tear: the simulator tears its unsynced
 * writes at a crash (through {@link #appendRaw}) and recovery may cut them off. A plain one commits atomically,
 * as SQLite and PostgreSQL do. Thread-safe (one monitor).
 */
public final class MemoryLogStore implements LogStore {
    private final boolean writesCanTear;
    private HardState hardState = HardState.EMPTY;
    private LogBase base = LogBase.ZERO;
    private final ArrayList<StoredEntry> entries = new ArrayList<>();
    private long bytes;

    /** A store whose writes are atomic: damage found by recovery is corruption. */
    public MemoryLogStore() {
        this(false);
    }

    private MemoryLogStore(boolean writesCanTear) {
        this.writesCanTear = writesCanTear;
    }

    /** A store standing for a disk whose unsynced writes a crash may tear. */
    public static MemoryLogStore withTornWrites() {
        return new MemoryLogStore(true);
    }

    @Override
    public boolean writesCanTear() {
        return writesCanTear;
    }

    @Override
    public synchronized HardState hardState() {
        return hardState;
    }

    @Override
    public synchronized LogBase base() {
        return base;
    }

    @Override
    public synchronized long lastIndex() {
        return base.index() + entries.size();
    }

    @Override
    public synchronized void write(HardState hs, List<Entry> newEntries) {
        if (!newEntries.isEmpty()) {
            long first = newEntries.getFirst().index();
            if (first <= base.index() || first > lastIndex() + 1) {
                throw new IllegalArgumentException("write at " + first + " outside (" + base.index() + ", " + (lastIndex() + 1) + "]");
            }
            truncateSuffix(first);
            for (Entry e : newEntries) {
                entries.add(StoredEntry.of(e));
                bytes += e.data().length;
            }
        }
        if (hs != null) hardState = new HardState(hs.term(), hs.votedFor(), Math.min(hs.commit(), lastIndex()));
    }

    @Override
    public synchronized List<StoredEntry> readRaw(long from, long to, int maxCount) {
        // Records are selected by the index they hold, as a database query would. Normally record k holds index
        // base+1+k; after removeRaw the ones behind the removed record hold higher indexes than their place.
        int start = (int) Math.clamp(from - base.index() - 1, 0, entries.size());
        while (start > 0 && entries.get(start - 1).index() >= from) start--;
        List<StoredEntry> out = new ArrayList<>();
        for (int k = start; k < entries.size() && out.size() < maxCount; k++) {
            StoredEntry e = entries.get(k);
            if (e.index() > to) break;
            if (e.index() >= from) out.add(e);
        }
        return out;
    }

    @Override
    public synchronized void truncateSuffix(long fromIndex) {
        while (lastIndex() >= fromIndex && !entries.isEmpty()) {
            bytes -= length(entries.removeLast());
        }
    }

    @Override
    public synchronized void compact(long index, long term) {
        if (index <= base.index()) return;
        int drop = (int) Math.min(entries.size(), index - base.index());
        for (int i = 0; i < drop; i++) bytes -= length(entries.get(i));
        entries.subList(0, drop).clear();
        base = new LogBase(index, term);
    }

    @Override
    public synchronized void resetTo(long index, long term) {
        entries.clear();
        bytes = 0;
        base = new LogBase(index, term);
        hardState = new HardState(hardState.term(), hardState.votedFor(), Math.max(hardState.commit(), index));
    }

    @Override
    public synchronized long sizeBytes() {
        return bytes;
    }

    /** Replaces the stored record at {@code index}, for tests that damage the log. */
    public synchronized void overwriteRaw(StoredEntry entry) {
        bytes += length(entry) - length(entries.set((int) (entry.index() - base.index() - 1), entry));
    }

    /** Removes the record at {@code index} and closes up behind it, for tests that lose a record. */
    public synchronized void removeRaw(long index) {
        bytes -= length(entries.remove((int) (index - base.index() - 1)));
    }

    /** Appends a record without checks, for tests that tear the tail. */
    public synchronized void appendRaw(StoredEntry entry) {
        entries.add(entry);
        bytes += length(entry);
    }

    private static int length(StoredEntry entry) {
        return entry.data() == null ? 0 : entry.data().length;
    }

    @Override
    public void close() {}
}
