package dev.corral.storage;

/**
 * Storage that this node must not use, however often it tries: in use by another node, owned by another
 * node id, or written by a newer schema. Unlike other {@link StorageException}s it is not retried: at
 * start-up the node refuses to start, and if it happens when the node reopens its storage after an outage
 * (another node took the database meanwhile) the node stops, since writing could corrupt the other node's
 * log.
 */
public final class StorageRefusedException extends StorageException {
    public StorageRefusedException(String message) {
        super(message);
    }
}
