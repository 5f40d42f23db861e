package dev.corral.storage;

import dev.corral.consensus.Entry;
import dev.corral.txn.Checksums;

/** A log entry as read back from storage, with the checksum stored beside it, not yet verified. */
public record StoredEntry(long index, long term, byte[] data, int crc) {
    public boolean isIntact() {
        return index >= 1 && term >= 1 && data != null && crc == Checksums.entryCrc(index, term, data);
    }

    public Entry entry() {
        return new Entry(index, term, data);
    }

    public static StoredEntry of(Entry e) {
        return new StoredEntry(e.index(), e.term(), e.data(), Checksums.entryCrc(e.index(), e.term(), e.data()));
    }
}
