package dev.corral.storage;

import dev.corral.txn.Checksums;
import dev.corral.txn.CorruptRecordException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** A {@link SnapshotStore} in memory, for tests and the simulator. Thread-safe (one monitor). */
public final class MemorySnapshotStore implements SnapshotStore {
    private record Stored(SnapshotMeta meta, List<byte[]> chunks, List<Integer> crcs) {}

    private final TreeMap<Long, Stored> complete = new TreeMap<>();
    private long nextId = 1;
    private final int chunkBytes;

    public MemorySnapshotStore() {
        this(CHUNK_BYTES);
    }

    public MemorySnapshotStore(int chunkBytes) {
        this.chunkBytes = chunkBytes;
    }

    @Override
    public synchronized Writer begin(long index, long term) {
        long id = nextId++;
        return new ChunkingWriter(chunkBytes) {
            private final List<byte[]> chunks = new ArrayList<>();
            private final List<Integer> crcs = new ArrayList<>();

            @Override
            protected void storeChunk(int seq, byte[] data, int crc) {
                chunks.add(data);
                crcs.add(crc);
            }

            @Override
            protected SnapshotMeta finish(long size, int count) {
                SnapshotMeta meta = new SnapshotMeta(id, index, term, size, count);
                synchronized (MemorySnapshotStore.this) {
                    complete.put(id, new Stored(meta, List.copyOf(chunks), List.copyOf(crcs)));
                }
                return meta;
            }

            @Override
            protected void discard() {
                chunks.clear();
            }
        };
    }

    @Override
    public synchronized Optional<SnapshotMeta> latest() {
        return list().stream().findFirst();
    }

    @Override
    public synchronized List<SnapshotMeta> list() {
        List<SnapshotMeta> out = new ArrayList<>();
        for (Stored s : complete.values()) out.add(s.meta());
        out.sort(Comparator.comparingLong(SnapshotMeta::index).thenComparingLong(SnapshotMeta::id).reversed());
        return out;
    }

    @Override
    public synchronized InputStream open(long snapshotId) {
        Stored s = complete.get(snapshotId);
        if (s == null) throw new StorageException("no snapshot " + snapshotId);
        List<InputStream> parts = new ArrayList<>();
        for (int i = 0; i < s.chunks().size(); i++) {
            byte[] chunk = s.chunks().get(i);
            if (Checksums.crc32c(chunk) != s.crcs().get(i)) {
                throw new CorruptRecordException("snapshot " + snapshotId + " chunk " + i + " is corrupt");
            }
            parts.add(new ByteArrayInputStream(chunk));
        }
        return new SequenceInputStream(Collections.enumeration(parts));
    }

    @Override
    public synchronized void retain(int keep) {
        List<SnapshotMeta> all = list();
        for (int i = keep; i < all.size(); i++) complete.remove(all.get(i).id());
    }

    /** Flips a byte of a stored chunk, for tests. */
    public synchronized void corruptChunk(long snapshotId, int chunk) {
        complete.get(snapshotId).chunks().get(chunk)[0] ^= 1;
    }

    @Override
    public void close() {}
}
