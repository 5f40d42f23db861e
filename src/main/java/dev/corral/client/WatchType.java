package dev.corral.client;

import java.util.Locale;

/** Which watches {@link CorralClient#removeWatches} removes from a path. */
public enum WatchType {
    /** Every kind. */
    ANY,
    /** One-shot data and exists watches. */
    DATA,
    /** One-shot children watches. */
    CHILDREN,
    /** Persistent watches. */
    PERSISTENT,
    /** Persistent recursive watches. */
    PERSISTENT_RECURSIVE;

    /** The REST API's name. */
    String restName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
