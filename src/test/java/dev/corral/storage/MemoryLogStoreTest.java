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

    @Override
    protected void flipPayloadByte(long index) {
        StoredEntry s = store.readRaw(index, index, 1).getFirst();
        byte[] data = s.data().clone();
        data[data.length / 2] ^= 0x01;
        store.overwriteRaw(new StoredEntry(s.index(), s.term(), data, s.crc()));
    }

    @Override
    protected void deleteRecord(long index) {
        store.removeRaw(index);
    }
}
