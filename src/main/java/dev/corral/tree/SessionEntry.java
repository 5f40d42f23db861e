package dev.corral.tree;

import dev.corral.txn.SessionSecret;

/**
 * A session as the replicated state knows it: its id, negotiated timeout, secret and the paths of its
 * ephemeral znodes (so that closing it can delete them in the same transaction). When it last sent a
 * heartbeat is not replicated; the leader's session tracker keeps that.
 */
public record SessionEntry(long id, int timeoutMs, SessionSecret secret, PersistentMap<String, Boolean> ephemerals) {
    SessionEntry withEphemeral(String path) {
        return new SessionEntry(id, timeoutMs, secret, ephemerals.with(path, Boolean.TRUE));
    }

    SessionEntry withoutEphemeral(String path) {
        return new SessionEntry(id, timeoutMs, secret, ephemerals.without(path));
    }
}
