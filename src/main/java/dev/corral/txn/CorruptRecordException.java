package dev.corral.txn;

/** A record failed its checksum or does not parse: it was torn, truncated or altered after it was written. */
public final class CorruptRecordException extends RuntimeException {
    public CorruptRecordException(String message) {
        super(message);
    }
}
