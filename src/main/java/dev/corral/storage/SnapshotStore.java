package dev.corral.storage;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * Durable snapshots of the state machine, stored in chunks.
 *
 * <p>Contract, checked by {@code SnapshotStoreContract}:
 * <ul>
 *   <li>A snapshot becomes visible ({@link #latest}, {@link #list}) only when {@link Writer#commit()} returns,
 *       and is durable then; an aborted or unfinished one (a crash mid-write) is never visible and is
 *       removed by {@link #retain}.</li>
 *   <li>Chunks are stored with checksums; {@link #open} verifies each chunk and the chunk count as it reads
 *       and throws {@link dev.corral.txn.CorruptRecordException} on damage.</li>
 *   <li>Thread-safe: one writer at a time, reads concurrent with writes.</li>
 * </ul>
 */
public interface SnapshotStore extends AutoCloseable {
    /** Bytes of snapshot data per stored chunk. */
    int CHUNK_BYTES = 256 << 10;

    /** An output stream that cuts what it is given into chunks and stores them as they fill. */
    abstract class Writer extends OutputStream {
        /** Failures are {@link StorageException}s, not IOExceptions. */
        @Override
        public abstract void write(byte[] b, int off, int len);

        @Override
        public abstract void write(int b);

        /** Stores the last chunk and makes the snapshot visible, durably. */
        public abstract SnapshotMeta commit();

        /** Discards what was written. */
        public abstract void abort();
    }

    Writer begin(long index, long term);

    /** The newest complete snapshot (highest index). */
    Optional<SnapshotMeta> latest();

    /** Complete snapshots, newest first. */
    List<SnapshotMeta> list();

    InputStream open(long snapshotId);

    /** Keeps the newest {@code keep} complete snapshots; deletes older and incomplete ones. */
    void retain(int keep);

    @Override
    void close();
}
