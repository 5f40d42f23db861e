package dev.corral.client;

import java.time.Duration;

/**
 * One REST request as {@link Transport} sends it, with what decides whether it may be tried again.
 *
 * @param method the HTTP method
 * @param target the path and query after the node's base URL ({@code /v1/nodes/a?children=true})
 * @param body the JSON body, or null for none
 * @param secret the session secret to send, or null when the request does not act as a session
 * @param kind whether it may be retried after an unknown outcome, and whether it carries {@code minZxid}
 * @param minZxid a zxid the node must have applied before it answers a {@link Kind#READ} (0: only the highest seen)
 * @param path the znode the request is about, for errors without one
 * @param timeout this request's timeout, or null for the client's
 * @param server the node to send it to (an index into the servers), or -1 for the current node with failover
 * @param retriesMax retries beyond trying each node once, or -1 for the client's {@link RetryPolicy}
 */
record Call(String method, String target, byte[] body, String secret, Kind kind, long minZxid, String path, Duration timeout,
        int server, int retriesMax) {
    /** How a request may be retried. */
    enum Kind {
        /** A znode read: retried on any failure; carries the highest zxid seen as {@code minZxid}. */
        READ,
        /** Safe to repeat (an ACL read, sync, a heartbeat, opening a session): retried on any failure. */
        IDEMPOTENT,
        /** A change: retried only when it is known not to have been taken. */
        WRITE
    }

    static Call read(String target, String path, long minZxid) {
        return new Call("GET", target, null, null, Kind.READ, minZxid, path, null, -1, -1);
    }

    static Call idempotent(String method, String target, byte[] body) {
        return new Call(method, target, body, null, Kind.IDEMPOTENT, 0, null, null, -1, -1);
    }

    static Call write(String method, String target, byte[] body, String path) {
        return new Call(method, target, body, null, Kind.WRITE, 0, path, null, -1, -1);
    }

    /** This call acting as the session with {@code secret}. */
    Call as(String secret) {
        return new Call(method, target, body, secret, kind, minZxid, path, timeout, server, retriesMax);
    }

    /** This call with its own timeout, tried once on each node and not retried beyond that. */
    Call oneRound(Duration timeout) {
        return new Call(method, target, body, secret, kind, minZxid, path, timeout, server, 0);
    }

    /** This call sent only to node {@code server}, once. */
    Call pinnedTo(int server) {
        return new Call(method, target, body, secret, kind, minZxid, path, timeout, server, 0);
    }
}
