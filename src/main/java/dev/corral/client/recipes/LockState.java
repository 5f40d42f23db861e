package dev.corral.client.recipes;

/**
 * What a {@link LockListener} hears about a lock it holds (or a leader about its role, through its own listener).
 *
 * <pre>
 * (acquired) ──▶ HELD ◀──▶ SUSPENDED
 *                  │           │
 *                  └─────┬─────┘
 *                        ▼
 *                      LOST (final for this acquisition)
 * </pre>
 */
public enum LockState {
    /**
     * Held, and the session's node answers: after a {@link #SUSPENDED} spell, the client reached the cluster again, the
     * session lives and the lock's znode is still this session's.
     */
    HELD,
    /**
     * The client lost touch with the cluster while holding the lock ({@link dev.corral.client.SessionState#DISCONNECTED}).
     * The session may still live, or may have expired at the cluster without the client knowing yet: stop touching
     * what the lock guards until {@link #HELD} comes back.
     */
    SUSPENDED,
    /**
     * The lock is gone: its session expired or was closed, or its znode was deleted. Another client may hold it now.
     * {@link DistributedLock#unlock} and {@link DistributedLock#fencingToken} then throw {@link LockLostException}.
     */
    LOST
}
