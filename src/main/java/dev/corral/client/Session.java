package dev.corral.client;

import java.time.Duration;

/**
 * A client's session, as the cluster opened it.
 *
 * @param id the session id, 16 hex digits, as ZooKeeper prints it (public: every ephemeral znode's Stat names it)
 * @param timeout the timeout the cluster granted (the requested one, clamped to the cluster's range)
 * @param secret the session's secret, 32 hex digits: the credential that lets a request act as the session (as
 *     ZooKeeper's session password). Keep it out of logs; {@link #toString} leaves it out
 */
public record Session(String id, Duration timeout, String secret) {
    /** The id as a number, as {@link Stat#ephemeralOwner()} carries it. */
    public long idNumber() {
        return Long.parseUnsignedLong(id, 16);
    }

    /** The id and timeout, without the secret. */
    @Override
    public String toString() {
        return "Session[id=" + id + ", timeout=" + timeout + "]";
    }
}
