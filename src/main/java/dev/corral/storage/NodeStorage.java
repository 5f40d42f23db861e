package dev.corral.storage;

/**
 * A node's storage, open and owned by this process: its log and its snapshots, which live in one database and
 * are released together. After a storage failure the driver closes it and opens a new one (the way a restart
 * would, without ending the process), so that nothing cached by the failed one survives.
 */
public interface NodeStorage extends AutoCloseable {
    LogStore log();

    SnapshotStore snapshots();

    /** Releases the connections and the ownership lock; never throws. */
    @Override
    void close();

    /**
     * Opens a node's storage. Throws {@link StorageRefusedException} for storage this node must never use and
     * {@link StorageException} for a failure that may pass (the database is down, the disk is full).
     */
    @FunctionalInterface
    interface Opener {
        NodeStorage open();
    }
}
