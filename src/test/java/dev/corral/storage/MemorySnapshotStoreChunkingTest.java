package dev.corral.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.txn.CorruptRecordException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MemorySnapshotStoreChunkingTest {
    private static final int CHUNK = 10;

    private final MemorySnapshotStore store = new MemorySnapshotStore(CHUNK);

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    private SnapshotMeta writeSnapshot(long index, long term, byte[] content) throws IOException {
        SnapshotStore.Writer w = store.begin(index, term);
        // Mix single-byte and bulk writes so that chunk boundaries fall inside bulk writes.
        int i = 0;
        while (i < content.length) {
            if (i % 7 == 0) {
                w.write(content[i]);
                i++;
            } else {
                int n = Math.min(content.length - i, 13);
                w.write(content, i, n);
                i += n;
            }
        }
        return w.commit();
    }

    private byte[] read(long id) throws IOException {
        try (InputStream in = store.open(id)) {
            return in.readAllBytes();
        }
    }

    @Test
    void snapshotLargerThanAChunkIsStoredInChunksAndReadBackWhole() throws IOException {
        byte[] content = bytes(95, 1);
        SnapshotMeta meta = writeSnapshot(40, 3, content);
        assertEquals(40, meta.index());
        assertEquals(3, meta.term());
        assertEquals(95, meta.sizeBytes());
        assertEquals(10, meta.chunks());
        assertArrayEquals(content, read(meta.id()));
    }

    @Test
    void exactMultipleOfTheChunkSizeHasNoEmptyChunk() throws IOException {
        byte[] content = bytes(3 * CHUNK, 2);
        SnapshotMeta meta = writeSnapshot(1, 1, content);
        assertEquals(3, meta.chunks());
        assertArrayEquals(content, read(meta.id()));
        SnapshotMeta empty = writeSnapshot(2, 1, new byte[0]);
        assertEquals(0, empty.chunks());
        assertEquals(0, empty.sizeBytes());
        assertArrayEquals(new byte[0], read(empty.id()));
    }

    @Test
    void snapshotIsVisibleOnlyAfterCommit() throws IOException {
        SnapshotStore.Writer w = store.begin(5, 1);
        w.write(bytes(25, 3), 0, 25);
        assertEquals(Optional.empty(), store.latest());
        assertEquals(List.of(), store.list());
        SnapshotMeta meta = w.commit();
        assertEquals(Optional.of(meta), store.latest());
        assertThrows(IllegalStateException.class, () -> w.write(1));
        assertThrows(IllegalStateException.class, w::commit);
        w.close();
        assertEquals(Optional.of(meta), store.latest(), "closing a committed writer keeps the snapshot");
    }

    @Test
    void abortedSnapshotNeverBecomesVisible() throws IOException {
        try (SnapshotStore.Writer w = store.begin(5, 1)) {
            w.write(bytes(25, 3), 0, 25);
            w.abort();
            assertThrows(IllegalStateException.class, () -> w.write(1));
        }
        try (SnapshotStore.Writer w = store.begin(6, 1)) {
            w.write(bytes(5, 4), 0, 5);
        }
        assertEquals(List.of(), store.list());
        assertEquals(Optional.empty(), store.latest());
    }

    @Test
    void latestIsTheHighestIndexAndListIsNewestFirst() throws IOException {
        SnapshotMeta s10 = writeSnapshot(10, 1, bytes(12, 1));
        SnapshotMeta s30 = writeSnapshot(30, 2, bytes(12, 2));
        SnapshotMeta s20 = writeSnapshot(20, 2, bytes(12, 3));
        SnapshotMeta s30again = writeSnapshot(30, 2, bytes(12, 4));
        assertEquals(Optional.of(s30again), store.latest());
        assertEquals(List.of(s30again, s30, s20, s10), store.list());
    }

    @Test
    void retainKeepsTheNewestSnapshots() throws IOException {
        SnapshotMeta s1 = writeSnapshot(10, 1, bytes(12, 1));
        SnapshotMeta s2 = writeSnapshot(20, 1, bytes(12, 2));
        SnapshotMeta s3 = writeSnapshot(30, 1, bytes(12, 3));
        store.retain(2);
        assertEquals(List.of(s3, s2), store.list());
        assertThrows(StorageException.class, () -> store.open(s1.id()));
        assertArrayEquals(bytes(12, 2), read(s2.id()));
        store.retain(5);
        assertEquals(2, store.list().size());
        store.retain(0);
        assertEquals(List.of(), store.list());
    }

    @Test
    void corruptChunkIsDetectedOnOpen() throws IOException {
        SnapshotMeta meta = writeSnapshot(7, 1, bytes(45, 9));
        SnapshotMeta other = writeSnapshot(8, 1, bytes(45, 10));
        store.corruptChunk(meta.id(), 2);
        CorruptRecordException e = assertThrows(CorruptRecordException.class, () -> store.open(meta.id()));
        assertTrue(e.getMessage().contains("chunk 2"), e.getMessage());
        assertArrayEquals(bytes(45, 10), read(other.id()));
    }

    @Test
    void openingAnUnknownSnapshotFails() throws IOException {
        assertThrows(StorageException.class, () -> store.open(12345));
    }

    @Test
    void defaultChunkSizeIsOneMebibyte() throws IOException {
        MemorySnapshotStore big = new MemorySnapshotStore();
        SnapshotStore.Writer w = big.begin(1, 1);
        byte[] content = bytes(SnapshotStore.CHUNK_BYTES + 1, 5);
        w.write(content);
        SnapshotMeta meta = w.commit();
        assertEquals(2, meta.chunks());
        try (InputStream in = big.open(meta.id())) {
            assertArrayEquals(content, in.readAllBytes());
        }
    }
}
