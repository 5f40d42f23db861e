package dev.corral.tree;

import dev.corral.txn.Acl;
import dev.corral.txn.SessionSecret;
import java.util.List;

/** The result of one applied operation, returned to the client that asked for it. */
public sealed interface OpResult {
    record Created(String path, Stat stat) implements OpResult {}

    record Deleted(String path) implements OpResult {}

    record DataSet(String path, Stat stat) implements OpResult {}

    record AclSet(String path, List<Acl> acl, Stat stat) implements OpResult {}

    record Checked(String path) implements OpResult {}

    /** {@code secret} goes only to the client that opened the session. */
    record SessionOpened(long sessionId, int timeoutMs, SessionSecret secret) implements OpResult {}

    record SessionClosed(long sessionId) implements OpResult {}

    record MultiDone(List<OpResult> results) implements OpResult {}

    /** One operation of a failed multi: its own error, OK for those before, RUNTIME_INCONSISTENCY after. */
    record Failed(ErrorCode code, String path) implements OpResult {}

    record Nothing() implements OpResult {}
}
