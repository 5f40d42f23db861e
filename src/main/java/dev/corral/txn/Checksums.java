package dev.corral.txn;

import java.util.zip.CRC32C;

/** CRC32C helpers for records that are written to storage or sent between nodes. */
public final class Checksums {
    private Checksums() {}

    public static int crc32c(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    public static int crc32c(byte[] bytes) {
        return crc32c(bytes, 0, bytes.length);
    }

    /** Checksum of a log entry: covers its position (index, term) as well as its payload. */
    public static int entryCrc(long index, long term, byte[] payload) {
        CRC32C crc = new CRC32C();
        for (int shift = 56; shift >= 0; shift -= 8) crc.update((int) (index >>> shift));
        for (int shift = 56; shift >= 0; shift -= 8) crc.update((int) (term >>> shift));
        crc.update(payload, 0, payload.length);
        return (int) crc.getValue();
    }
}
