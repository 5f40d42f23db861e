package dev.corral.tree;

/**
 * A session as the replicated state knows it: its id, negotiated timeout and the paths of its ephemeral
 * znodes (so that closing it can delete them in the same transaction). When it last sent a heartbeat is
 * not replicated; the leader's session tracker keeps that.
 */
public record SessionEntry(long id, int timeoutMs, PersistentMap<String, Boolean> ephemerals) {
    SessionEntry withEphemeral(String path) {
        return new SessionEntry(id, timeoutMs, ephemerals.with(path, Boolean.TRUE));
    }

    SessionEntry withoutEphemeral(String path) {
        return new SessionEntry(id, timeoutMs, ephemerals.without(path));
    }
}
