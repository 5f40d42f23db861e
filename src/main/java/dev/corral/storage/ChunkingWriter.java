package dev.corral.storage;

import dev.corral.txn.Checksums;
import java.util.Arrays;

/**
 * The part of every {@link SnapshotStore.Writer} that cuts the stream into fixed-size chunks and checksums
 * them; subclasses only store a chunk and make the whole visible.
 */
public abstract class ChunkingWriter extends SnapshotStore.Writer {
    private final byte[] buffer;
    private int filled;
    private int seq;
    private long size;
    private boolean done;

    protected ChunkingWriter(int chunkBytes) {
        this.buffer = new byte[chunkBytes];
    }

    /** Stores chunk {@code seq} (0-based). */
    protected abstract void storeChunk(int seq, byte[] data, int crc);

    /** Makes the snapshot of {@code count} chunks and {@code size} bytes visible, durably. */
    protected abstract SnapshotMeta finish(long size, int count);

    protected abstract void discard();

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        if (done) throw new IllegalStateException("snapshot writer already finished");
        while (len > 0) {
            int n = Math.min(len, buffer.length - filled);
            System.arraycopy(b, off, buffer, filled, n);
            filled += n;
            off += n;
            len -= n;
            size += n;
            if (filled == buffer.length) flushChunk();
        }
    }

    private void flushChunk() {
        if (filled == 0) return;
        byte[] chunk = Arrays.copyOf(buffer, filled);
        storeChunk(seq++, chunk, Checksums.crc32c(chunk));
        filled = 0;
    }

    @Override
    public SnapshotMeta commit() {
        if (done) throw new IllegalStateException("snapshot writer already finished");
        flushChunk();
        done = true;
        return finish(size, seq);
    }

    @Override
    public void abort() {
        if (done) return;
        done = true;
        discard();
    }

    @Override
    public void close() {
        abort();
    }
}
