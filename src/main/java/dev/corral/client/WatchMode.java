package dev.corral.client;

import java.util.Locale;

/** The kinds of persistent watch, which stay set until removed (ZooKeeper's {@code AddWatchMode}). */
public enum WatchMode {
    /** Every event of the znode itself: created, deleted, data changed, children changed. */
    PERSISTENT,
    /** Created, deleted and data changed events of the znode and every znode below it (no children events). */
    PERSISTENT_RECURSIVE;

    /** The REST API's name. */
    String restName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
