package dev.corral.storage;

import dev.corral.consensus.Entry;
import dev.corral.consensus.HardState;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link LogStore} in memory: for tests and the simulator. "Durable" means "kept by this object"; the
 * simulator models lost and torn writes around it. Thread-safe (one monitor).
 */
public final class MemoryLogStore implements LogStore {
    private HardState hardState = HardState.EMPTY;
    private LogBase base = LogBase.ZERO;
    private final ArrayList<StoredEntry> entries = new ArrayList<>();
    private long bytes;

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
        if (hs != null) hardState = hs;
    }

    @Override
    public synchronized List<StoredEntry> readRaw(long from, long to, int maxCount) {
        List<StoredEntry> out = new ArrayList<>();
        for (long i = Math.max(from, base.index() + 1); i <= Math.min(to, lastIndex()) && out.size() < maxCount; i++) {
            out.add(entries.get((int) (i - base.index() - 1)));
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
    public synchronized long sizeBytes() {
        return bytes;
    }

    /** Replaces the stored record at {@code index}, for tests that damage the log. */
    public synchronized void overwriteRaw(StoredEntry entry) {
        bytes += length(entry) - length(entries.set((int) (entry.index() - base.index() - 1), entry));
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
