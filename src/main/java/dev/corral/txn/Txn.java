package dev.corral.txn;

import java.util.List;

/**
 * A transaction: the validated outcome of one client request, as replicated through the log.
 *
 * <p>Validation (versions, existence, ACLs, sequence numbers) happens once, on the leader, before a
 * transaction is proposed. Applying a transaction to the tree it was validated against therefore cannot
 * fail, and every node that applies the same log builds the same tree. The zxid of a transaction is the
 * log index of the entry that carries it; the time is stamped by the leader into the {@link TxnRecord}.
 */
public sealed interface Txn {

    /**
     * Creates {@code path} (sequence suffix already resolved). {@code ephemeralOwner} follows ZooKeeper's
     * encoding: 0 for persistent, a session id for ephemeral, {@code Long.MIN_VALUE} for a container and
     * {@code 0xff00…|ttl} for a TTL node.
     */
    record Create(String path, byte[] data, List<Acl> acl, long ephemeralOwner) implements Txn {}

    /** Deletes {@code path}, which exists and has no children. */
    record Delete(String path) implements Txn {}

    /** Replaces the data of {@code path}; {@code version} is the node's new data version. */
    record SetData(String path, byte[] data, int version) implements Txn {}

    /** Replaces the ACL of {@code path}; {@code aversion} is the node's new ACL version. */
    record SetAcl(String path, List<Acl> acl, int aversion) implements Txn {}

    /** A passed version check inside a multi: changes nothing, keeps its place in the results. */
    record Check(String path) implements Txn {}

    /** All-or-nothing: every operation was validated against the state left by the ones before it. */
    record Multi(List<Txn> ops) implements Txn {}

    /** Opens a session with the negotiated timeout and the secret the leader drew for it. */
    record CreateSession(long sessionId, int timeoutMs, SessionSecret secret) implements Txn {}

    /** Closes (or expires) a session; its ephemeral nodes are deleted by the same transaction. */
    record CloseSession(long sessionId) implements Txn {}

    /** Changes nothing; a new leader commits one to learn which entries of earlier terms are committed. */
    record Noop() implements Txn {}

    /**
     * Changes nothing but compares: {@code digest} is the digest of the leader's state before this entry, which is
     * the state every node has applied when it reaches this entry. A node whose own digest differs reports a
     * mismatch (see {@code dev.corral.tree.Digest}); applying it never fails. Only at the top level, never in a multi.
     */
    record DigestCheck(long digest) implements Txn {}
}
