package dev.corral.storage;

/**
 * The storage backend failed (disk, database, connection). On the commit path this stops the node: a write
 * that may or may not be durable cannot be acknowledged, and retrying could reorder the log.
 */
public final class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageException(String message) {
        super(message);
    }
}
