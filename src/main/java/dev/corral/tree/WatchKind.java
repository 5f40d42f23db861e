package dev.corral.tree;

/**
 * Kinds of watches. DATA and CHILD are ZooKeeper's one-shot watches (getData/exists and getChildren); they
 * fire once and are gone. PERSISTENT and PERSISTENT_RECURSIVE (ZooKeeper's {@code addWatch} modes) stay until
 * removed.
 */
public enum WatchKind {
    DATA,
    CHILD,
    PERSISTENT,
    PERSISTENT_RECURSIVE;

    int bit() {
        return 1 << ordinal();
    }
}
