package dev.corral.client;

import java.util.Locale;

/** How a znode lives, as in ZooKeeper: until deleted, as long as a session, with a sequence number, or with a TTL. */
public enum CreateMode {
    /** Lives until deleted. */
    PERSISTENT,
    /** Deleted when the creating session ends; needs a session (the client opens one if it has none). */
    EPHEMERAL,
    /** Persistent, with a 10-digit counter appended to the name. */
    PERSISTENT_SEQUENTIAL,
    /** Ephemeral, with a 10-digit counter appended to the name. */
    EPHEMERAL_SEQUENTIAL,
    /** Deleted by the server once it has had a child and has none left. */
    CONTAINER,
    /** Deleted by the server when it has no children and was not changed within its TTL. */
    PERSISTENT_TTL,
    /** As {@link #PERSISTENT_TTL}, with a 10-digit counter appended to the name. */
    PERSISTENT_SEQUENTIAL_TTL;

    /** Whether the znode belongs to a session. */
    public boolean isEphemeral() {
        return this == EPHEMERAL || this == EPHEMERAL_SEQUENTIAL;
    }

    /** Whether the server appends a counter to the name. */
    public boolean isSequential() {
        return this == PERSISTENT_SEQUENTIAL || this == EPHEMERAL_SEQUENTIAL || this == PERSISTENT_SEQUENTIAL_TTL;
    }

    /** Whether the znode needs a TTL. */
    public boolean isTtl() {
        return this == PERSISTENT_TTL || this == PERSISTENT_SEQUENTIAL_TTL;
    }

    /** The name the REST API uses for this mode ({@code ephemeral_sequential}). */
    String restName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
