package dev.corral.tree;

/**
 * How ZooKeeper encodes a znode's kind in {@code ephemeralOwner}, which clients see in the Stat:
 * 0 is persistent, {@code Long.MIN_VALUE} a container, {@code 0xff…} in the top byte a TTL node (the low
 * 40 bits hold the TTL in milliseconds), anything else the owning session of an ephemeral node.
 */
public enum NodeKind {
    PERSISTENT,
    EPHEMERAL,
    CONTAINER,
    TTL;

    public static final long CONTAINER_OWNER = Long.MIN_VALUE;
    public static final long TTL_MAX_MS = (1L << 40) - 1;
    private static final long EXTENDED_MASK = 0xff00000000000000L;
    private static final long RESERVED_MASK = 0x00ffff0000000000L;

    public static NodeKind of(long ephemeralOwner) {
        if (ephemeralOwner == 0) return PERSISTENT;
        if (ephemeralOwner == CONTAINER_OWNER) return CONTAINER;
        if ((ephemeralOwner & EXTENDED_MASK) == EXTENDED_MASK) return TTL;
        return EPHEMERAL;
    }

    public static long ttlOwner(long ttlMs) {
        if (ttlMs <= 0 || ttlMs > TTL_MAX_MS) {
            throw new IllegalArgumentException("ttl must be between 1 and " + TTL_MAX_MS + " ms, was " + ttlMs);
        }
        return EXTENDED_MASK | ttlMs;
    }

    public static long ttlMs(long ephemeralOwner) {
        return ephemeralOwner & ~(EXTENDED_MASK | RESERVED_MASK);
    }

    /** True if {@code sessionId} can own ephemerals without being read as a container or TTL marker. */
    public static boolean isValidSessionId(long sessionId) {
        return of(sessionId) == EPHEMERAL;
    }
}
