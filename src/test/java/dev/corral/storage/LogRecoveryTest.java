package dev.corral.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.consensus.Entry;
import dev.corral.consensus.HardState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Recovery of the log at start-up. Most cases run on a store whose writes can tear (as the simulator's disk),
 * where a torn tail above the stored commit index is cut; the contract suite ({@link LogStoreContract}) shows
 * on every atomic store (in memory, SQLite, PostgreSQL) that damage there is never cut.
 */
class LogRecoveryTest {

    private static Entry entry(long index, long term) {
        return new Entry(index, term, ("payload-" + index).getBytes(StandardCharsets.UTF_8));
    }

    /** A log of {@code n} entries whose writes can tear, committed up to {@code commit}; the term goes up every 4 entries. */
    private static MemoryLogStore logOf(int n, long commit) {
        return fill(MemoryLogStore.withTornWrites(), n, commit);
    }

    /** A tearable log of {@code n} entries with only its first entry known committed. */
    private static MemoryLogStore logOf(int n) {
        return logOf(n, 1);
    }

    private static MemoryLogStore fill(MemoryLogStore store, int n, long commit) {
        List<Entry> entries = new ArrayList<>();
        for (long i = 1; i <= n; i++) entries.add(entry(i, 1 + (i - 1) / 4));
        store.write(new HardState(3, 1, commit), entries);
        return store;
    }

    private static StoredEntry damaged(long index, long term) {
        StoredEntry good = StoredEntry.of(entry(index, term));
        return new StoredEntry(good.index(), good.term(), good.data(), good.crc() ^ 0x5a);
    }

    private static void assertEntries(long from, long to, List<Entry> actual) {
        assertEquals(to - from + 1, actual.size());
        for (int i = 0; i < actual.size(); i++) {
            Entry expected = entry(from + i, 1 + (from + i - 1) / 4);
            assertEquals(expected.index(), actual.get(i).index());
            assertEquals(expected.term(), actual.get(i).term());
            assertArrayEquals(expected.data(), actual.get(i).data());
        }
    }

    private static long payloadBytes(List<Entry> entries) {
        return entries.stream().mapToLong(e -> e.data().length).sum();
    }

    @Test
    void intactLogIsReturnedWhole() {
        MemoryLogStore store = logOf(10, 10);
        LogRecovery.Result r = LogRecovery.recover(store);
        assertEntries(1, 10, r.entries());
        assertEquals(0, r.truncatedFrom());
        assertEquals(0, r.damagedRecords());
        assertEquals(10, store.lastIndex());
    }

    @Test
    void emptyLogRecoversToNothing() {
        LogRecovery.Result r = LogRecovery.recover(new MemoryLogStore());
        assertEquals(List.of(), r.entries());
        assertEquals(0, r.truncatedFrom());
    }

    @Test
    void tornTailOfOneToThreeRecordsIsCutOffAndReported() {
        for (int torn = 1; torn <= 3; torn++) {
            MemoryLogStore store = logOf(10);
            for (long i = 11 - torn; i <= 10; i++) store.overwriteRaw(damaged(i, 1 + (i - 1) / 4));
            LogRecovery.Result r = LogRecovery.recover(store);
            assertEntries(1, 10 - torn, r.entries());
            assertEquals(11 - torn, r.truncatedFrom());
            assertEquals(torn, r.damagedRecords());
            assertEquals(10 - torn, store.lastIndex(), "the torn records are removed from the store");
            assertEquals(payloadBytes(r.entries()), store.sizeBytes());
            assertEquals(0, LogRecovery.recover(store).truncatedFrom(), "a second recovery finds nothing to cut");
        }
    }

    @Test
    void tornAppendedRecordsAreCutOff() {
        MemoryLogStore store = logOf(5);
        store.appendRaw(damaged(6, 2));
        store.appendRaw(new StoredEntry(7, 2, null, 0));
        LogRecovery.Result r = LogRecovery.recover(store);
        assertEntries(1, 5, r.entries());
        assertEquals(6, r.truncatedFrom());
        assertEquals(2, r.damagedRecords());
        assertEquals(5, store.lastIndex());
        assertEquals(payloadBytes(r.entries()), store.sizeBytes(), "size counts only the entries kept");
    }

    @Test
    void recordsOutOfPlaceOrWithFallingTermsAtTheTailAreCutOff() {
        MemoryLogStore misplaced = logOf(5);
        misplaced.appendRaw(StoredEntry.of(entry(9, 2)));
        LogRecovery.Result r = LogRecovery.recover(misplaced);
        assertEquals(6, r.truncatedFrom());
        assertEntries(1, 5, r.entries());

        MemoryLogStore falling = logOf(8);
        falling.appendRaw(StoredEntry.of(entry(9, 1)));
        LogRecovery.Result f = LogRecovery.recover(falling);
        assertEquals(9, f.truncatedFrom());
        assertEntries(1, 8, f.entries());
    }

    @Test
    void damagedRecordFollowedByAnIntactOneStopsRecoveryNamingTheIndex() {
        MemoryLogStore store = logOf(10);
        store.overwriteRaw(damaged(6, 2));
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> LogRecovery.recover(store));
        assertEquals(6, e.index());
        assertTrue(e.getMessage().startsWith("log entry 6 is corrupt: it fails its checksum; and entry 7 after it is intact"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith(LogRecovery.HOW_TO_RECOVER), e.getMessage());
        assertEquals(10, store.lastIndex(), "nothing is cut when the middle is damaged");
    }

    @Test
    void damagedRecordsFollowedByAnIntactLastRecordStopRecovery() {
        MemoryLogStore store = logOf(10);
        store.overwriteRaw(damaged(8, 2));
        store.overwriteRaw(damaged(9, 3));
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> LogRecovery.recover(store));
        assertEquals(8, e.index());
        assertTrue(e.getMessage().contains("entry 10 after it is intact"), e.getMessage());
    }

    @Test
    void tornRecordAtOrBelowTheStoredCommitIndexIsCorruptionNotATornTail() {
        for (long commit = 9; commit <= 10; commit++) {
            MemoryLogStore store = logOf(10, commit);
            store.overwriteRaw(damaged(9, 3));
            store.overwriteRaw(damaged(10, 3));
            CorruptLogException e = assertThrows(CorruptLogException.class, () -> LogRecovery.recover(store));
            assertEquals(9, e.index());
            assertTrue(e.getMessage().contains("at or below the stored commit index " + commit), e.getMessage());
            assertEquals(10, store.lastIndex(), "a committed entry was cut");
        }
        MemoryLogStore above = logOf(10, 8);
        above.overwriteRaw(damaged(9, 3));
        above.overwriteRaw(damaged(10, 3));
        assertEquals(9, LogRecovery.recover(above).truncatedFrom());
    }

    @Test
    void missingRecordInTheMiddleOfATearableLogIsCorruptionNotATornTail() {
        MemoryLogStore store = logOf(10);
        store.removeRaw(4);
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> LogRecovery.recover(store));
        assertEquals(4, e.index());
        assertTrue(e.getMessage().startsWith("log entry 4 is missing (the next stored entry is 5)"), e.getMessage());
    }

    @Test
    void anAtomicStoreCutsNothingEvenAboveItsCommitIndex() {
        MemoryLogStore store = fill(new MemoryLogStore(), 10, 1);
        store.overwriteRaw(damaged(10, 3));
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> LogRecovery.recover(store));
        assertEquals(10, e.index());
        assertTrue(e.getMessage().contains("commits atomically"), e.getMessage());
        assertEquals(10, store.lastIndex());
    }

    @Test
    void gapWiderThanAReadBatchIsFoundInAnAtomicStore() {
        MemoryLogStore store = fill(new MemoryLogStore(), 10_000, 1);
        for (long i = 5000; i >= 10; i--) store.removeRaw(i);
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> LogRecovery.recover(store));
        assertEquals(10, e.index());
        assertTrue(e.getMessage().startsWith("log entry 10 is missing (the next stored entry is 5001)"), e.getMessage());
    }

    @Test
    void recoveryStartsAfterTheCompactedBase() {
        MemoryLogStore store = logOf(12);
        store.compact(8, 2);
        store.overwriteRaw(damaged(12, 3));
        LogRecovery.Result r = LogRecovery.recover(store);
        assertEntries(9, 11, r.entries());
        assertEquals(12, r.truncatedFrom());
        assertEquals(new LogBase(8, 2), store.base());
    }

    @Test
    void logsLongerThanOneReadBatchRecoverWhole() {
        MemoryLogStore store = logOf(9000);
        store.overwriteRaw(damaged(9000, 2250));
        LogRecovery.Result r = LogRecovery.recover(store);
        assertEntries(1, 8999, r.entries());
        assertEquals(9000, r.truncatedFrom());
        MemoryLogStore middle = logOf(9000);
        middle.overwriteRaw(damaged(4096, 1024));
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> LogRecovery.recover(middle));
        assertEquals(4096, e.index());
    }
}
