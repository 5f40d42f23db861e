package dev.corral.consensus;

/**
 * One log entry. The index is its position in the log (1-based, gap-free) and, for clients, the zxid of
 * the transaction it carries; the term is the leader's term when it was proposed. The data is opaque to
 * the core; an empty array is the no-op a new leader appends.
 */
public record Entry(long index, long term, byte[] data) {
    public Entry {
        if (index < 1 || term < 1 || data == null) {
            throw new IllegalArgumentException("bad entry: index " + index + ", term " + term);
        }
    }

    public boolean isNoop() {
        return data.length == 0;
    }
}
