package dev.corral.client;

/**
 * The states a client's session goes through, as ZooKeeper's {@code KeeperState} names them.
 *
 * <pre>
 * CONNECTED ──▶ DISCONNECTED ──▶ RECONNECTED ──▶ DISCONNECTED …
 *     │               │                │
 *     └───────────────┴────────────────┴──▶ EXPIRED or CLOSED (final)
 * </pre>
 */
public enum SessionState {
    /** The session was opened. */
    CONNECTED,
    /**
     * The node the client talked to failed (unreachable, or answering that it cannot serve). The session lives on at
     * the cluster while its heartbeats reach some node within its timeout; the client keeps trying every node. Its
     * ephemeral znodes and watches may or may not still be there for others to see; a lock holder should act as if
     * it might have lost its lock.
     */
    DISCONNECTED,
    /** A heartbeat got through again (to the same node or another): the session, its ephemerals and watches live. */
    RECONNECTED,
    /**
     * The cluster ended the session: no heartbeat arrived within its timeout, or someone closed it. Its ephemeral znodes
     * are gone, its watches too. Calls that need the session fail with {@link CorralException.SessionExpiredException};
     * a new session needs a new client.
     */
    EXPIRED,
    /** This client closed the session. */
    CLOSED
}
