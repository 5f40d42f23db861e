package dev.corral.storage;

/**
 * The stored log is damaged in a way that recovery must not repair by cutting: a record that fails its
 * checksum or is out of place in a store that commits atomically, a missing record (a gap in the indexes), or
 * damage at or below the stored commit index. Serving a tree built from such a log could silently lose an
 * acknowledged write, so the node refuses to start. {@link #index()} is the first index that is damaged or
 * missing; the message names it and says how to recover.
 */
public final class CorruptLogException extends RuntimeException {
    private final long index;

    public CorruptLogException(long index, String message) {
        super(message);
        this.index = index;
    }

    /** The first log index that is damaged or missing. */
    public long index() {
        return index;
    }
}
