package dev.corral.tree;

import dev.corral.txn.Acl;
import java.util.List;

/** A client's request to change the tree, before validation. {@link Prep} turns it into a transaction. */
public sealed interface Op {
    /** {@code ttlMs} is -1 unless the mode is a TTL mode. A null ACL means {@link Acl#OPEN}. */
    record Create(String path, byte[] data, List<Acl> acl, CreateMode mode, long ttlMs) implements Op {}

    /** {@code version} -1 matches any version. */
    record Delete(String path, int version) implements Op {}

    record SetData(String path, byte[] data, int version) implements Op {}

    record SetAcl(String path, List<Acl> acl, int aversion) implements Op {}

    record Check(String path, int version) implements Op {}

    /** Create, delete, setData and check operations, all or nothing. */
    record Multi(List<Op> ops) implements Op {}

    record CreateSession(int requestedTimeoutMs) implements Op {}

    record CloseSession(long sessionId) implements Op {}

    /** The node removes an empty container or an expired TTL znode; refused if it no longer qualifies. */
    record Reap(String path) implements Op {}
}
