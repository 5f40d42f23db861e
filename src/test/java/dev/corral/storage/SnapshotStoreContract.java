package dev.corral.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The {@link SnapshotStore} contract, run against every implementation. */
public abstract class SnapshotStoreContract {
    protected abstract SnapshotStore store();

    /** The same storage after a restart. */
    protected abstract SnapshotStore reopen();

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] readAll(SnapshotStore s, long id) throws IOException {
        try (InputStream in = s.open(id)) {
            return in.readAllBytes();
        }
    }

    @Test
    void newStoreHasNoSnapshot() {
        assertTrue(store().latest().isEmpty());
        assertTrue(store().list().isEmpty());
    }

    @Test
    void committedSnapshotSpanningChunksReadsBackExactly() throws IOException {
        SnapshotStore s = store();
        byte[] data = randomBytes(SnapshotStore.CHUNK_BYTES * 2 + 12345, 1);
        SnapshotStore.Writer w = s.begin(100, 3);
        w.write(data, 0, 1000);
        w.write(data, 1000, data.length - 1000);
        SnapshotMeta meta = w.commit();
        assertEquals(100, meta.index());
        assertEquals(3, meta.term());
        assertEquals(data.length, meta.sizeBytes());
        assertEquals(3, meta.chunks());
        SnapshotStore r = reopen();
        assertEquals(meta, r.latest().orElseThrow());
        assertArrayEquals(data, readAll(r, meta.id()));
    }

    @Test
    void emptySnapshotIsAllowed() throws IOException {
        SnapshotStore s = store();
        SnapshotMeta meta = s.begin(0, 0).commit();
        assertEquals(0, readAll(reopen(), meta.id()).length);
    }

    @Test
    void unfinishedOrAbortedSnapshotsAreNeverVisible() {
        SnapshotStore s = store();
        SnapshotStore.Writer aborted = s.begin(10, 1);
        aborted.write(randomBytes(5000, 2), 0, 5000);
        aborted.abort();
        SnapshotStore.Writer unfinished = s.begin(20, 1);
        unfinished.write(randomBytes(SnapshotStore.CHUNK_BYTES + 1, 3), 0, SnapshotStore.CHUNK_BYTES + 1);
        assertTrue(s.latest().isEmpty());
        SnapshotStore r = reopen();
        assertTrue(r.latest().isEmpty());
        r.retain(1);
        assertTrue(r.list().isEmpty());
    }

    @Test
    void listIsNewestFirstAndRetainKeepsTheNewest() throws IOException {
        SnapshotStore s = store();
        s.begin(10, 1).commit();
        SnapshotStore.Writer w = s.begin(30, 2);
        w.write(new byte[] {1, 2, 3});
        SnapshotMeta newest = w.commit();
        s.begin(20, 1).commit();
        List<SnapshotMeta> all = s.list();
        assertEquals(List.of(30L, 20L, 10L), all.stream().map(SnapshotMeta::index).toList());
        s.retain(1);
        SnapshotStore r = reopen();
        assertEquals(List.of(newest), r.list());
        assertArrayEquals(new byte[] {1, 2, 3}, readAll(r, newest.id()));
    }
}
