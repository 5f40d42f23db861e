package dev.corral.storage;

/** The snapshot contract on the in-memory store the simulator uses. */
class MemorySnapshotStoreTest extends SnapshotStoreContract {
    private MemorySnapshotStore store;

    @Override
    protected SnapshotStore store() {
        if (store == null) store = new MemorySnapshotStore();
        return store;
    }

    @Override
    protected SnapshotStore reopen() {
        return store;
    }
}
