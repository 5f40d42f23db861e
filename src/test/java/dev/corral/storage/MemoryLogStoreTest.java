package dev.corral.storage;

/** The log contract on the in-memory store the simulator uses. */
class MemoryLogStoreTest extends LogStoreContract {
    private MemoryLogStore store;

    @Override
    protected LogStore store() {
        store = new MemoryLogStore();
        return store;
    }

    @Override
    protected LogStore reopen() {
        return store;
    }
}
