package dev.corral.storage;

/**
 * The storage backend failed (disk full, database restarted or unreachable, connection lost). An environment
 * failure, expected and retryable: on the commit path the node stops writing, reports not ready, reopens its
 * storage with backoff and re-reads what is durable before it writes again. It never stops the process.
 * {@link StorageRefusedException}, a subclass, marks storage this node must not use at all.
 */
public class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageException(String message) {
        super(message);
    }
}
