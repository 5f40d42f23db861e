package dev.corral.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.consensus.Entry;
import dev.corral.consensus.HardState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@link LogStore} contract. Every implementation (in memory, SQLite, PostgreSQL) runs this same suite
 * through a small subclass; "reopen" stands for a restart of the node.
 */
public abstract class LogStoreContract {
    /** An empty store. */
    protected abstract LogStore store();

    /** The same storage after a restart: a new store object reading what the old one made durable. */
    protected abstract LogStore reopen();

    /** Damages the durable record of entry {@code index} behind the store's back: one bit of its payload flipped. */
    protected abstract void flipPayloadByte(long index);

    /** Loses the durable record of entry {@code index} behind the store's back, as a deleted row. */
    protected abstract void deleteRecord(long index);

    static Entry entry(long index, long term, String data) {
        return new Entry(index, term, data.getBytes(StandardCharsets.UTF_8));
    }

    static List<Entry> entries(long from, long to, long term) {
        List<Entry> out = new ArrayList<>();
        for (long i = from; i <= to; i++) out.add(entry(i, term, "entry-" + i + "-t" + term));
        return out;
    }

    static void assertEntries(List<Entry> expected, List<StoredEntry> actual) {
        assertEquals(expected.size(), actual.size(), "number of entries");
        for (int i = 0; i < expected.size(); i++) {
            Entry e = expected.get(i);
            StoredEntry s = actual.get(i);
            assertEquals(e.index(), s.index(), "index");
            assertEquals(e.term(), s.term(), "term at " + e.index());
            assertArrayEquals(e.data(), s.data(), "data at " + e.index());
            assertTrue(s.isIntact(), "checksum of entry " + e.index());
        }
    }

    @Test
    void newStoreIsEmpty() {
        LogStore s = store();
        assertEquals(HardState.EMPTY, s.hardState());
        assertEquals(LogBase.ZERO, s.base());
        assertEquals(0, s.lastIndex());
        assertTrue(s.readRaw(1, 100, 100).isEmpty());
        assertEquals(0, s.sizeBytes());
    }

    @Test
    void writtenEntriesAndHardStateSurviveRestart() {
        LogStore s = store();
        HardState hs = new HardState(3, 2, 4);
        s.write(hs, entries(1, 5, 3));
        assertEquals(5, s.lastIndex());
        assertEquals(hs, s.hardState());
        LogStore r = reopen();
        assertEquals(hs, r.hardState());
        assertEquals(5, r.lastIndex());
        assertEntries(entries(1, 5, 3), r.readRaw(1, 5, 100));
    }

    @Test
    void hardStateAloneCanBeWritten() {
        LogStore s = store();
        s.write(null, entries(1, 2, 1));
        s.write(new HardState(7, 1, 2), List.of());
        LogStore r = reopen();
        assertEquals(new HardState(7, 1, 2), r.hardState());
        assertEquals(2, r.lastIndex());
    }

    @Test
    void writingAtOrBelowTheLastIndexReplacesTheSuffix() {
        LogStore s = store();
        s.write(null, entries(1, 5, 1));
        s.write(null, entries(4, 6, 2));
        List<Entry> expected = new ArrayList<>(entries(1, 3, 1));
        expected.addAll(entries(4, 6, 2));
        assertEquals(6, s.lastIndex());
        assertEntries(expected, s.readRaw(1, 10, 100));
        assertEntries(expected, reopen().readRaw(1, 10, 100));
    }

    @Test
    void writeThatWouldLeaveAGapIsRefusedAndChangesNothing() {
        LogStore s = store();
        s.write(null, entries(1, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> s.write(new HardState(9, 9, 9), entries(5, 6, 1)));
        assertEquals(3, s.lastIndex());
        assertEquals(HardState.EMPTY, s.hardState());
        assertEntries(entries(1, 3, 1), reopen().readRaw(1, 10, 100));
    }

    @Test
    void truncateSuffixIsDurable() {
        LogStore s = store();
        s.write(null, entries(1, 10, 1));
        s.truncateSuffix(7);
        assertEquals(6, s.lastIndex());
        LogStore r = reopen();
        assertEquals(6, r.lastIndex());
        assertEntries(entries(1, 6, 1), r.readRaw(1, 10, 100));
        r.write(null, entries(7, 8, 2));
        assertEquals(8, r.lastIndex());
    }

    @Test
    void compactionMovesTheBaseAndKeepsLaterEntries() {
        LogStore s = store();
        s.write(null, entries(1, 10, 2));
        s.compact(6, 2);
        assertEquals(new LogBase(6, 2), s.base());
        assertEquals(10, s.lastIndex());
        assertTrue(s.readRaw(1, 6, 100).isEmpty());
        assertEntries(entries(7, 10, 2), s.readRaw(1, 10, 100));
        LogStore r = reopen();
        assertEquals(new LogBase(6, 2), r.base());
        assertEquals(10, r.lastIndex());
        r.write(null, entries(11, 12, 3));
        assertEntries(entries(11, 12, 3), r.readRaw(11, 12, 10));
        assertThrows(IllegalArgumentException.class, () -> r.write(null, entries(5, 5, 3)));
    }

    @Test
    void compactingPastTheEndLeavesAnEmptyLogAtTheBase() {
        LogStore s = store();
        s.write(null, entries(1, 3, 1));
        s.compact(5, 2);
        assertEquals(new LogBase(5, 2), s.base());
        assertEquals(5, s.lastIndex());
        s.write(null, entries(6, 6, 2));
        assertEquals(6, reopen().lastIndex());
    }

    @Test
    void resetToASnapshotReplacesTheWholeLogAndRaisesTheCommitIndex() {
        LogStore s = store();
        s.write(new HardState(3, 2, 4), entries(1, 10, 3));
        s.resetTo(7, 2);
        assertEquals(new LogBase(7, 2), s.base());
        assertEquals(7, s.lastIndex());
        assertTrue(s.readRaw(1, 20, 100).isEmpty(), "no entry of the old log is left, not even the ones after the snapshot");
        assertEquals(new HardState(3, 2, 7), s.hardState());
        LogStore r = reopen();
        assertEquals(new LogBase(7, 2), r.base());
        assertEquals(7, r.lastIndex());
        assertEquals(new HardState(3, 2, 7), r.hardState());
        r.write(null, entries(8, 9, 4));
        assertEntries(entries(8, 9, 4), r.readRaw(1, 20, 100));
    }

    @Test
    void readsHonourRangeAndCount() {
        LogStore s = store();
        s.write(null, entries(1, 20, 1));
        assertEntries(entries(5, 9, 1), s.readRaw(5, 9, 100));
        assertEntries(entries(5, 7, 1), s.readRaw(5, 20, 3));
        assertTrue(s.readRaw(21, 30, 10).isEmpty());
    }

    @Test
    void sizeCountsPayloadBytesThroughEveryChange() {
        LogStore s = store();
        s.write(null, List.of(entry(1, 1, "aaaa"), entry(2, 1, "bb"), entry(3, 1, "c")));
        assertEquals(7, s.sizeBytes());
        s.write(null, List.of(entry(3, 2, "dddddd")));
        assertEquals(12, s.sizeBytes());
        s.truncateSuffix(3);
        assertEquals(6, s.sizeBytes());
        s.compact(1, 1);
        assertEquals(2, s.sizeBytes());
        assertEquals(2, reopen().sizeBytes());
    }

    @Test
    void storedCommitIndexNeverNamesAnEntryTheStoreDidNotHold() {
        LogStore s = store();
        s.write(new HardState(2, 1, 9), entries(1, 5, 2));
        assertEquals(new HardState(2, 1, 5), s.hardState());
        assertEquals(new HardState(2, 1, 5), reopen().hardState());
    }

    // ---- recovery on this store: every store here commits atomically ----

    @Test
    void flippedByteInTheLastDurableRecordIsCorruptionNamedByIndexAndNothingIsCut() {
        LogStore s = store();
        assertFalse(s.writesCanTear(), "this store's writes are atomic");
        s.write(new HardState(1, 1, 0), entries(1, 5, 1));
        flipPayloadByte(5);
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> LogRecovery.recover(reopen()));
        assertEquals(5, e.index());
        assertTrue(e.getMessage().startsWith("log entry 5 is corrupt: it fails its checksum"), e.getMessage());
        assertTrue(e.getMessage().contains("not an unfinished write") && e.getMessage().endsWith(LogRecovery.HOW_TO_RECOVER),
                e.getMessage());
        LogStore r = reopen();
        assertEquals(5, r.lastIndex(), "the damaged record was cut");
        assertFalse(r.readRaw(5, 5, 1).getFirst().isIntact());
    }

    @Test
    void missingRecordInTheMiddleIsCorruptionAndNothingAfterItIsCut() {
        LogStore s = store();
        s.write(null, entries(1, 8, 1));
        deleteRecord(3);
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> LogRecovery.recover(reopen()));
        assertEquals(3, e.index());
        assertTrue(e.getMessage().startsWith("log entry 3 is missing (the next stored entry is 4)"), e.getMessage());
        assertEntries(entries(4, 8, 1), reopen().readRaw(4, 8, 100));
    }

    @Test
    void logEndingBelowItsStoredCommitIndexIsCorruption() {
        LogStore s = store();
        s.write(new HardState(1, 1, 6), entries(1, 6, 1));
        deleteRecord(6);
        deleteRecord(5);
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> LogRecovery.recover(reopen()));
        assertEquals(5, e.index());
        assertTrue(e.getMessage().startsWith("log entry 5 is missing: the log ends at 4, below its stored commit index 6"),
                e.getMessage());
    }

    /**
     * Above the stored commit index nothing durable remembers an entry but the entry itself: a lost last record
     * looks exactly like a write that never happened, and is taken as one.
     */
    @Test
    void missingLastRecordAboveTheStoredCommitIndexIsTakenAsNeverWritten() {
        LogStore s = store();
        s.write(new HardState(1, 1, 4), entries(1, 6, 1));
        deleteRecord(6);
        LogRecovery.Result r = LogRecovery.recover(reopen());
        assertEquals(5, r.entries().size());
        assertEquals(0, r.truncatedFrom());
    }

    @Test
    void largeBatchesAndEmptyPayloadsRoundTrip() {
        LogStore s = store();
        List<Entry> big = new ArrayList<>();
        for (int i = 1; i <= 5000; i++) big.add(new Entry(i, 1 + i / 1000, i % 7 == 0 ? new byte[0] : ("payload " + i).getBytes()));
        s.write(new HardState(6, 1, 5000), big);
        LogStore r = reopen();
        List<StoredEntry> back = new ArrayList<>();
        for (long from = 1; from <= 5000; from += 1000) back.addAll(r.readRaw(from, from + 999, 1000));
        assertEntries(big, back);
    }
}
