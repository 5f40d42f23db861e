package dev.corral.node;

import dev.corral.consensus.Entry;
import dev.corral.consensus.HardState;
import dev.corral.storage.LogBase;
import dev.corral.storage.LogStore;
import dev.corral.storage.MemoryLogStore;
import dev.corral.storage.MemorySnapshotStore;
import dev.corral.storage.NodeStorage;
import dev.corral.storage.SnapshotStore;
import dev.corral.storage.StorageException;
import dev.corral.storage.StorageRefusedException;
import dev.corral.storage.StoredEntry;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A node's storage in memory that a test can take away and give back, as a database server that stops and
 * starts again. What is durable lives in {@link #disk} (a store that commits atomically) and survives every
 * reopen; each {@link #open} hands out a new {@link NodeStorage} over it. While {@link #down}, opening fails
 * and so do writes through every handle; a handle stays dead once its database went down, as a JDBC
 * connection does. While {@link #full}, the storage opens and reads but every write fails, as on a full disk.
 * {@link #commitNextFailingWrite} makes the next failing write commit before it throws, as a commit whose
 * acknowledgement was lost on the way back.
 */
final class FlakyStorage implements NodeStorage.Opener {
    final MemoryLogStore disk = new MemoryLogStore();
    final MemorySnapshotStore snapshots = new MemorySnapshotStore(64 << 10);
    final AtomicInteger opens = new AtomicInteger();
    volatile boolean down;
    volatile boolean full;
    volatile boolean refuse;
    volatile boolean commitNextFailingWrite;

    @Override
    public NodeStorage open() {
        if (refuse) throw new StorageRefusedException("database is in use by another Corral node");
        if (down) throw new StorageException("connection refused");
        opens.incrementAndGet();
        return new Handle();
    }

    private final class Handle implements NodeStorage {
        private volatile boolean broken;
        private final LogStore log = new Log(this);

        @Override
        public LogStore log() {
            return log;
        }

        @Override
        public SnapshotStore snapshots() {
            return snapshots;
        }

        @Override
        public void close() {
            broken = true;
        }
    }

    private final class Log implements LogStore {
        private final Handle handle;

        Log(Handle handle) {
            this.handle = handle;
        }

        private void check() {
            if (down) handle.broken = true;
            if (handle.broken) throw new StorageException("connection lost");
        }

        private void checkWritable() {
            check();
            if (full) throw new StorageException("disk full");
        }

        @Override
        public void write(HardState hardState, List<Entry> entries) {
            if (down && commitNextFailingWrite) {
                commitNextFailingWrite = false;
                disk.write(hardState, entries);
            }
            checkWritable();
            disk.write(hardState, entries);
        }

        @Override
        public void compact(long index, long term) {
            checkWritable();
            disk.compact(index, term);
        }

        @Override
        public void resetTo(long index, long term) {
            checkWritable();
            disk.resetTo(index, term);
        }

        @Override
        public void truncateSuffix(long fromIndex) {
            checkWritable();
            disk.truncateSuffix(fromIndex);
        }

        @Override
        public List<StoredEntry> readRaw(long from, long to, int maxCount) {
            check();
            return disk.readRaw(from, to, maxCount);
        }

        @Override
        public HardState hardState() {
            return disk.hardState();
        }

        @Override
        public LogBase base() {
            return disk.base();
        }

        @Override
        public long lastIndex() {
            return disk.lastIndex();
        }

        @Override
        public boolean writesCanTear() {
            return false;
        }

        @Override
        public long sizeBytes() {
            return disk.sizeBytes();
        }

        @Override
        public void close() {}
    }
}
