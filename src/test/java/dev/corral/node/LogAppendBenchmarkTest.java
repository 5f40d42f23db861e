package dev.corral.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.consensus.Entry;
import dev.corral.consensus.HardState;
import dev.corral.storage.LogBase;
import dev.corral.storage.LogStore;
import dev.corral.storage.MemoryLogStore;
import dev.corral.storage.MemorySnapshotStore;
import dev.corral.storage.SnapshotStore;
import dev.corral.storage.StorageException;
import dev.corral.storage.StoredEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/** The storage benchmark's safety rules and bookkeeping, on the in-memory log with a fake clock (no timing). */
class LogAppendBenchmarkTest {
    private static final long MS = 1_000_000;

    /** A clock that moves 1 ms every time it is read. */
    private static LongSupplier steppingClock() {
        long[] now = {0};
        return () -> now[0] += MS;
    }

    private static LogAppendBenchmark.Settings settings(List<Integer> batches, long durationMs, long entriesMax) {
        return new LogAppendBenchmark.Settings(batches, 10, durationMs * MS, entriesMax);
    }

    @Test
    void runMeasuresEveryBatchSizeAndLeavesTheLogEmptyWithTheEmptyHardState() {
        MemoryLogStore log = new MemoryLogStore();
        List<LogAppendBenchmark.Result> reported = new ArrayList<>();
        List<LogAppendBenchmark.Result> results = new LogAppendBenchmark(log, steppingClock()).run(settings(List.of(1, 3), 20, 1_000),
                reported::add);
        assertEquals(results, reported);
        assertEquals(List.of(1, 3), results.stream().map(LogAppendBenchmark.Result::batchSize).toList());
        for (LogAppendBenchmark.Result r : results) {
            assertTrue(r.commits() > 0, "no commits for batch " + r.batchSize());
            assertEquals(r.commits() * r.batchSize(), r.entries());
            assertTrue(r.p50Nanos() <= r.p99Nanos() && r.p99Nanos() <= r.maxNanos(), r.toString());
        }
        assertEquals(0, log.lastIndex());
        assertEquals(HardState.EMPTY, log.hardState());
        assertEquals(LogBase.ZERO, log.base());
    }

    @Test
    void aBatchSizeStopsAtTheEntryLimit() {
        LogAppendBenchmark.Result r = new LogAppendBenchmark(new MemoryLogStore(), steppingClock())
                .run(settings(List.of(3), 1_000_000, 10), x -> {}).getFirst();
        assertEquals(4, r.commits());
        assertEquals(12, r.entries());
    }

    @Test
    void anEmptyFreshStorageIsAccepted() {
        assertEquals(Optional.empty(), LogAppendBenchmark.refusal(new MemoryLogStore(), new MemorySnapshotStore()));
    }

    @Test
    void aLogHoldingEntriesIsRefused() {
        MemoryLogStore log = new MemoryLogStore();
        log.write(null, List.of(new Entry(1, 1, new byte[] {1})));
        assertTrue(LogAppendBenchmark.refusal(log, new MemorySnapshotStore()).orElseThrow().contains("not empty"));
        assertThrows(IllegalStateException.class, () -> new LogAppendBenchmark(log, steppingClock()).run(settings(List.of(1), 5, 10), x -> {}));
        assertEquals(1, log.lastIndex());
    }

    @Test
    void storageWhoseLogWasCompactedAwayIsRefused() {
        MemoryLogStore log = new MemoryLogStore();
        log.write(null, List.of(new Entry(1, 1, new byte[] {1})));
        log.compact(1, 1);
        assertTrue(LogAppendBenchmark.refusal(log, new MemorySnapshotStore()).orElseThrow().contains("not empty"));
    }

    @Test
    void storageANodeHasVotedInIsRefused() {
        MemoryLogStore log = new MemoryLogStore();
        log.write(new HardState(3, 1, 0), List.of());
        assertTrue(LogAppendBenchmark.refusal(log, new MemorySnapshotStore()).orElseThrow().contains("term 3"));
    }

    @Test
    void storageHoldingASnapshotIsRefused() {
        MemorySnapshotStore snapshots = new MemorySnapshotStore();
        SnapshotStore.Writer w = snapshots.begin(5, 1);
        w.write(new byte[] {1, 2, 3}, 0, 3);
        w.commit();
        assertTrue(LogAppendBenchmark.refusal(new MemoryLogStore(), snapshots).orElseThrow().contains("snapshot"));
    }

    @Test
    void aFailingWriteStillLeavesTheLogEmpty() {
        MemoryLogStore memory = new MemoryLogStore();
        LogStore failing = new FailingAfter(memory, 30);
        assertThrows(StorageException.class,
                () -> new LogAppendBenchmark(failing, steppingClock()).run(settings(List.of(2), 1_000, 1_000_000), x -> {}));
        assertEquals(0, memory.lastIndex());
        assertEquals(HardState.EMPTY, memory.hardState());
    }

    @Test
    void settingsOutsideTheLimitsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LogAppendBenchmark.Settings(List.of(), 100, MS, 10));
        assertThrows(IllegalArgumentException.class, () -> new LogAppendBenchmark.Settings(List.of(0), 100, MS, 10));
        assertThrows(IllegalArgumentException.class,
                () -> new LogAppendBenchmark.Settings(List.of(LogAppendBenchmark.BATCH_MAX + 1), 100, MS, 10));
        assertThrows(IllegalArgumentException.class, () -> new LogAppendBenchmark.Settings(List.of(1), -1, MS, 10));
        assertThrows(IllegalArgumentException.class, () -> new LogAppendBenchmark.Settings(List.of(1), 100, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new LogAppendBenchmark.Settings(List.of(1), 100, MS, 0));
    }

    /** Fails every write of entries after the first {@code writesAllowed}; clearing (no entries) still works. */
    private static final class FailingAfter implements LogStore {
        private final LogStore delegate;
        private int writesLeft;

        FailingAfter(LogStore delegate, int writesAllowed) {
            this.delegate = delegate;
            this.writesLeft = writesAllowed;
        }

        @Override
        public HardState hardState() {
            return delegate.hardState();
        }

        @Override
        public LogBase base() {
            return delegate.base();
        }

        @Override
        public long lastIndex() {
            return delegate.lastIndex();
        }

        @Override
        public void write(HardState hardState, List<Entry> entries) {
            if (!entries.isEmpty() && writesLeft-- <= 0) throw new StorageException("disk on fire");
            delegate.write(hardState, entries);
        }

        @Override
        public boolean writesCanTear() {
            return delegate.writesCanTear();
        }

        @Override
        public List<StoredEntry> readRaw(long from, long to, int maxCount) {
            return delegate.readRaw(from, to, maxCount);
        }

        @Override
        public void truncateSuffix(long fromIndex) {
            delegate.truncateSuffix(fromIndex);
        }

        @Override
        public void compact(long index, long term) {
            delegate.compact(index, term);
        }

        @Override
        public void resetTo(long index, long term) {
            delegate.resetTo(index, term);
        }

        @Override
        public long sizeBytes() {
            return delegate.sizeBytes();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
