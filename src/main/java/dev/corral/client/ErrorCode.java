package dev.corral.client;

/**
 * The error names a Corral node answers with, ZooKeeper's {@code KeeperException.Code} spelled as the REST API spells
 * them in the {@code code} field of its error body ({@code {"code":"NO_NODE","message":…,"path":…}}).
 * {@link #OK} appears only in the per-operation results of a failed multi. A code this client does not know arrives
 * as {@link #SYSTEM_ERROR} with the server's name in the message.
 */
public enum ErrorCode {
    /** No error: an operation of a failed multi that would have succeeded. */
    OK,
    /** An unexpected failure on the server. */
    SYSTEM_ERROR,
    /** An operation of a failed multi after the one that failed (it was not tried). */
    RUNTIME_INCONSISTENCY,
    /** The server found its state inconsistent. */
    DATA_INCONSISTENCY,
    /** The node could not be reached or could not take the request; for a write, possibly an unknown outcome. */
    CONNECTION_LOSS,
    /** A request or answer could not be encoded. */
    MARSHALLING_ERROR,
    /** The server does not implement the request. */
    UNIMPLEMENTED,
    /** No outcome within the server's (or this client's) deadline; a write may or may not have happened. */
    OPERATION_TIMEOUT,
    /** Bad input: a malformed path, body, version, mode or size. */
    BAD_ARGUMENTS,
    /** The session is not known. */
    UNKNOWN_SESSION,
    /** A misuse of the API. */
    API_ERROR,
    /** The znode (or, for a create, its parent) does not exist. */
    NO_NODE,
    /** The caller lacks the permission the znode's ACL requires. */
    NO_AUTH,
    /** The znode is not at the expected version. */
    BAD_VERSION,
    /** Ephemeral znodes cannot have children. */
    NO_CHILDREN_FOR_EPHEMERALS,
    /** The znode already exists. */
    NODE_EXISTS,
    /** The znode has children. */
    NOT_EMPTY,
    /** The session expired or was closed. */
    SESSION_EXPIRED,
    /** An invalid callback. */
    INVALID_CALLBACK,
    /** The ACL is not valid. */
    INVALID_ACL,
    /** Credentials (HTTP Basic, or a session's secret) are missing or wrong. */
    AUTH_FAILED,
    /** The session moved to another server. */
    SESSION_MOVED,
    /** The node cannot take writes. */
    NOT_READONLY,
    /** No such watch on the path. */
    NO_WATCHER,
    /** The request timed out on the server. */
    REQUEST_TIMEOUT,
    /** A quota was exceeded. */
    QUOTA_EXCEEDED,
    /** The node is overloaded, or the caller holds as many sessions or connections as it may. */
    THROTTLED_OP;

    /** The code named {@code name}, or {@link #SYSTEM_ERROR} for a name this client does not know (or null). */
    static ErrorCode of(String name) {
        if (name == null) return SYSTEM_ERROR;
        for (ErrorCode c : values()) {
            if (c.name().equals(name)) return c;
        }
        return SYSTEM_ERROR;
    }
}
