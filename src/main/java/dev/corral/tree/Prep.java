package dev.corral.tree;

import dev.corral.txn.Acl;
import dev.corral.txn.SessionSecret;
import dev.corral.txn.Txn;
import dev.corral.txn.TxnCodec;
import dev.corral.txn.TxnLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Validates requests against the leader's newest state and turns them into transactions: ZooKeeper's
 * {@code PrepRequestProcessor}. Checks run in ZooKeeper's order, so clients see the same error codes; the
 * outcome (sequence number resolved, ACL expanded, new versions computed) is what gets replicated.
 *
 * <p>Pure: the time and the source of fresh session ids are passed in.
 */
public final class Prep {
    /**
     * Bounds on what clients may ask for, beyond the codec's own ({@link TxnLimits}): the largest znode data, the
     * session timeout range, and the largest encoded transaction record (a multi's total).
     */
    public record Limits(int dataBytesMax, int sessionTimeoutMinMs, int sessionTimeoutMaxMs, int recordBytesMax) {
        public Limits {
            if (dataBytesMax > TxnLimits.DATA_BYTES_MAX || recordBytesMax > TxnLimits.RECORD_BYTES_MAX) {
                throw new IllegalArgumentException("limits above the codec's: data " + dataBytesMax + ", record " + recordBytesMax);
            }
        }

        /** With room for one znode's largest data plus 1 MiB of paths, ACLs and further operations in a record. */
        public Limits(int dataBytesMax, int sessionTimeoutMinMs, int sessionTimeoutMaxMs) {
            this(dataBytesMax, sessionTimeoutMinMs, sessionTimeoutMaxMs, dataBytesMax + (1 << 20));
        }
    }

    /** The outcome of validation. */
    public sealed interface Prepared {
        record Accepted(Txn txn) implements Prepared {}

        /**
         * Refused; the state is unchanged. For a multi, {@code results} holds one entry per operation and
         * {@code failedIndex} names the one that failed; otherwise {@code results} is empty and the index -1.
         */
        record Rejected(ErrorCode code, String path, String message, List<OpResult> results, int failedIndex)
                implements Prepared {}
    }

    private final Limits limits;
    private final Apply apply;
    private final LongSupplier sessionIds;
    private final Supplier<SessionSecret> sessionSecrets;

    /**
     * {@code sessionIds} and {@code sessionSecrets} are the sources of fresh session ids and secrets. In production
     * secrets must come from a cryptographically strong generator: they are the sessions' credentials.
     */
    public Prep(Limits limits, Apply apply, LongSupplier sessionIds, Supplier<SessionSecret> sessionSecrets) {
        this.limits = limits;
        this.apply = apply;
        this.sessionIds = sessionIds;
        this.sessionSecrets = sessionSecrets;
    }

    public Limits limits() {
        return limits;
    }

    public Prepared prep(TreeState state, Op op, Caller caller, long nowMs) {
        try {
            Prepared p = op instanceof Op.Multi multi ? prepMulti(state, multi, caller, nowMs)
                    : new Prepared.Accepted(prepOne(state, op, caller, nowMs));
            if (p instanceof Prepared.Accepted a) checkRecordSize(a.txn());
            return p;
        } catch (Reject r) {
            return new Prepared.Rejected(r.code, r.path, r.getMessage(), List.of(), -1);
        }
    }

    /** A whole transaction must fit in one log record; a multi can exceed it even when each operation is small. */
    private void checkRecordSize(Txn txn) {
        long size = TxnCodec.encodedSize(txn);
        if (size > limits.recordBytesMax()) {
            throw new Reject(ErrorCode.BAD_ARGUMENTS, null, "the request would make a log record of " + size
                    + " bytes, more than the limit of " + limits.recordBytesMax() + "; split it");
        }
    }

    private Prepared prepMulti(TreeState state, Op.Multi multi, Caller caller, long nowMs) {
        List<Op> ops = multi.ops();
        if (ops.size() > TxnLimits.MULTI_OPS_MAX) {
            throw new Reject(ErrorCode.BAD_ARGUMENTS, null, "a multi of " + ops.size() + " operations exceeds the limit of "
                    + TxnLimits.MULTI_OPS_MAX);
        }
        List<Txn> txns = new ArrayList<>(ops.size());
        TreeState scratch = state;
        long zxid = state.lastZxid + 1;
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            try {
                if (!(op instanceof Op.Create || op instanceof Op.Delete || op instanceof Op.SetData || op instanceof Op.Check)) {
                    throw new Reject(ErrorCode.BAD_ARGUMENTS, pathOf(op), "a multi may hold only create, delete, setData and check operations");
                }
                Txn txn = prepOne(scratch, op, caller, nowMs);
                scratch = apply.applyWithin(scratch, zxid, nowMs, txn);
                txns.add(txn);
            } catch (Reject r) {
                List<OpResult> results = new ArrayList<>(ops.size());
                for (int j = 0; j < ops.size(); j++) {
                    ErrorCode code = j < i ? ErrorCode.OK : j == i ? r.code : ErrorCode.RUNTIME_INCONSISTENCY;
                    results.add(new OpResult.Failed(code, pathOf(ops.get(j))));
                }
                return new Prepared.Rejected(r.code, r.path, "operation " + i + " failed: " + r.getMessage(), List.copyOf(results), i);
            }
        }
        return new Prepared.Accepted(new Txn.Multi(List.copyOf(txns)));
    }

    private static String pathOf(Op op) {
        return switch (op) {
            case Op.Create c -> c.path();
            case Op.Delete d -> d.path();
            case Op.SetData d -> d.path();
            case Op.SetAcl a -> a.path();
            case Op.Check c -> c.path();
            case Op.Reap r -> r.path();
            case Op.Multi m -> null;
            case Op.CreateSession cs -> null;
            case Op.CloseSession cs -> null;
        };
    }

    private Txn prepOne(TreeState s, Op op, Caller caller, long nowMs) {
        return switch (op) {
            case Op.Create c -> create(s, c, caller);
            case Op.Delete d -> delete(s, d, caller);
            case Op.SetData d -> setData(s, d, caller);
            case Op.SetAcl a -> setAcl(s, a, caller);
            case Op.Check c -> check(s, c, caller);
            case Op.CreateSession cs -> createSession(s, cs);
            case Op.CloseSession cs -> {
                if (s.session(cs.sessionId()) == null) {
                    throw new Reject(ErrorCode.SESSION_EXPIRED, null, "session " + hex(cs.sessionId()) + " does not exist");
                }
                yield new Txn.CloseSession(cs.sessionId());
            }
            case Op.Reap r -> reap(s, r, nowMs);
            case Op.Multi m -> throw new Reject(ErrorCode.BAD_ARGUMENTS, null, "a multi cannot contain a multi");
        };
    }

    private Txn create(TreeState s, Op.Create c, Caller caller) {
        String base = c.path();
        byte[] data = c.data() == null ? Znode.NO_DATA : c.data();
        checkDataSize(base, data);
        CreateMode mode = c.mode();
        if (mode == null) throw new Reject(ErrorCode.BAD_ARGUMENTS, base, "create mode is required");
        String reason = Paths.invalidReason(mode.sequential && base != null ? base + "1" : base);
        if (reason != null) throw new Reject(ErrorCode.BAD_ARGUMENTS, base, "invalid path: " + reason);
        if (mode.isTtl()) {
            if (c.ttlMs() <= 0 || c.ttlMs() > NodeKind.TTL_MAX_MS) {
                throw new Reject(ErrorCode.BAD_ARGUMENTS, base, "ttl must be between 1 and " + NodeKind.TTL_MAX_MS + " ms for mode " + mode.restName());
            }
        } else if (c.ttlMs() >= 0) {
            throw new Reject(ErrorCode.BAD_ARGUMENTS, base, "ttl is only valid for the persistent_ttl and persistent_sequential_ttl modes");
        }
        if (mode.ephemeral && caller.sessionId() == 0) {
            throw new Reject(ErrorCode.BAD_ARGUMENTS, base, "ephemeral znodes need a session");
        }
        checkSession(s, caller, base);
        List<Acl> acl = AclCheck.fixup(checkAclSize(base, c.acl() == null ? Acl.OPEN : c.acl()), caller.ids());
        if (acl == null) throw new Reject(ErrorCode.INVALID_ACL, base, "invalid ACL");
        int lastSlash = base.lastIndexOf('/');
        String parentPath = lastSlash == 0 ? "/" : base.substring(0, lastSlash);
        Znode parent = s.find(parentPath);
        if (parent == null) throw new Reject(ErrorCode.NO_NODE, base, "parent " + parentPath + " does not exist");
        if (!AclCheck.permits(parent.acl(), Acl.CREATE, caller.ids())) {
            throw new Reject(ErrorCode.NO_AUTH, base, "no CREATE permission on " + parentPath);
        }
        String path = mode.sequential ? base + String.format(Locale.ROOT, "%010d", parent.childCreations()) : base;
        if (path.equals("/")) throw new Reject(ErrorCode.NODE_EXISTS, path, "the root always exists");
        reason = Paths.invalidReason(path);
        if (reason != null) throw new Reject(ErrorCode.BAD_ARGUMENTS, path, "invalid path: " + reason);
        if (parent.child(Paths.name(path)) != null) throw new Reject(ErrorCode.NODE_EXISTS, path, "node exists");
        if (NodeKind.of(parent.ephemeralOwner()) == NodeKind.EPHEMERAL) {
            throw new Reject(ErrorCode.NO_CHILDREN_FOR_EPHEMERALS, path, "ephemeral " + parentPath + " cannot have children");
        }
        long owner = switch (mode) {
            case CONTAINER -> NodeKind.CONTAINER_OWNER;
            case PERSISTENT_TTL, PERSISTENT_SEQUENTIAL_TTL -> NodeKind.ttlOwner(c.ttlMs());
            case EPHEMERAL, EPHEMERAL_SEQUENTIAL -> caller.sessionId();
            case PERSISTENT, PERSISTENT_SEQUENTIAL -> 0L;
        };
        return new Txn.Create(path, data, acl, owner);
    }

    private Txn delete(TreeState s, Op.Delete d, Caller caller) {
        String path = checkPath(d.path());
        checkVersionArgument(path, d.version());
        if (TreeState.SPECIAL_PATHS.contains(path)) throw new Reject(ErrorCode.BAD_ARGUMENTS, path, path + " cannot be deleted");
        checkSession(s, caller, path);
        String parentPath = Paths.parent(path);
        Znode parent = s.find(parentPath);
        if (parent == null) throw new Reject(ErrorCode.NO_NODE, path, "node does not exist");
        if (!AclCheck.permits(parent.acl(), Acl.DELETE, caller.ids())) {
            throw new Reject(ErrorCode.NO_AUTH, path, "no DELETE permission on " + parentPath);
        }
        Znode node = parent.child(Paths.name(path));
        if (node == null) throw new Reject(ErrorCode.NO_NODE, path, "node does not exist");
        checkVersion(path, node.version(), d.version());
        if (node.numChildren() > 0) throw new Reject(ErrorCode.NOT_EMPTY, path, "node has " + node.numChildren() + " children");
        return new Txn.Delete(path);
    }

    private Txn setData(TreeState s, Op.SetData d, Caller caller) {
        String path = checkPath(d.path());
        byte[] data = d.data() == null ? Znode.NO_DATA : d.data();
        checkDataSize(path, data);
        checkVersionArgument(path, d.version());
        checkSession(s, caller, path);
        Znode node = existing(s, path);
        if (!AclCheck.permits(node.acl(), Acl.WRITE, caller.ids())) throw new Reject(ErrorCode.NO_AUTH, path, "no WRITE permission");
        checkVersion(path, node.version(), d.version());
        return new Txn.SetData(path, data, node.version() + 1);
    }

    private Txn setAcl(TreeState s, Op.SetAcl a, Caller caller) {
        String path = checkPath(a.path());
        checkVersionArgument(path, a.aversion());
        checkSession(s, caller, path);
        List<Acl> acl = AclCheck.fixup(checkAclSize(path, a.acl()), caller.ids());
        if (acl == null) throw new Reject(ErrorCode.INVALID_ACL, path, "invalid ACL");
        Znode node = existing(s, path);
        if (!AclCheck.permits(node.acl(), Acl.ADMIN, caller.ids())) throw new Reject(ErrorCode.NO_AUTH, path, "no ADMIN permission");
        checkVersion(path, node.aversion(), a.aversion());
        return new Txn.SetAcl(path, acl, node.aversion() + 1);
    }

    private Txn check(TreeState s, Op.Check c, Caller caller) {
        String path = checkPath(c.path());
        checkVersionArgument(path, c.version());
        checkSession(s, caller, path);
        Znode node = existing(s, path);
        if (!AclCheck.permits(node.acl(), Acl.READ, caller.ids())) throw new Reject(ErrorCode.NO_AUTH, path, "no READ permission");
        checkVersion(path, node.version(), c.version());
        return new Txn.Check(path);
    }

    private Txn createSession(TreeState s, Op.CreateSession cs) {
        if (cs.requestedTimeoutMs() <= 0) {
            throw new Reject(ErrorCode.BAD_ARGUMENTS, null, "session timeout must be positive, was " + cs.requestedTimeoutMs());
        }
        int timeout = Math.clamp(cs.requestedTimeoutMs(), limits.sessionTimeoutMinMs(), limits.sessionTimeoutMaxMs());
        for (int attempt = 0; attempt < 64; attempt++) {
            long id = sessionIds.getAsLong();
            if (NodeKind.isValidSessionId(id) && s.session(id) == null) {
                SessionSecret secret = sessionSecrets.get();
                if (secret == null || secret.isNone()) throw new IllegalStateException("the session secret source produced no secret");
                return new Txn.CreateSession(id, timeout, secret);
            }
        }
        throw new IllegalStateException("the session id source produced 64 unusable ids in a row");
    }

    private Txn reap(TreeState s, Op.Reap r, long nowMs) {
        Znode node = s.find(r.path());
        if (node == null) throw new Reject(ErrorCode.NO_NODE, r.path(), "node does not exist");
        if (node.numChildren() > 0) throw new Reject(ErrorCode.NOT_EMPTY, r.path(), "node has children");
        boolean due = switch (NodeKind.of(node.ephemeralOwner())) {
            // The stored count of child creations, not the Stat's cversion: a container is due once it has had a child.
            case CONTAINER -> node.childCreations() > 0;
            case TTL -> nowMs - node.mtime() > NodeKind.ttlMs(node.ephemeralOwner());
            case PERSISTENT, EPHEMERAL -> false;
        };
        if (!due) throw new Reject(ErrorCode.BAD_VERSION, r.path(), "node is not due for removal");
        return new Txn.Delete(r.path());
    }

    private static Znode existing(TreeState s, String path) {
        Znode node = s.find(path);
        if (node == null) throw new Reject(ErrorCode.NO_NODE, path, "node does not exist");
        return node;
    }

    private static String checkPath(String path) {
        String reason = Paths.invalidReason(path);
        if (reason != null) throw new Reject(ErrorCode.BAD_ARGUMENTS, path, "invalid path: " + reason);
        return path;
    }

    private void checkDataSize(String path, byte[] data) {
        if (data.length > limits.dataBytesMax()) {
            throw new Reject(ErrorCode.BAD_ARGUMENTS, path, "data of " + data.length + " bytes exceeds the limit of " + limits.dataBytesMax());
        }
    }

    /** Bounds an ACL list as given, before any work proportional to it. */
    private static List<Acl> checkAclSize(String path, List<Acl> acl) {
        if (acl == null) return null;
        if (acl.size() > TxnLimits.ACL_ENTRIES_MAX) {
            throw new Reject(ErrorCode.BAD_ARGUMENTS, path, "an ACL of " + acl.size() + " entries exceeds the limit of "
                    + TxnLimits.ACL_ENTRIES_MAX);
        }
        for (Acl a : acl) {
            if (a != null && (TxnCodec.utf8Length(a.id()) > TxnLimits.ACL_ID_BYTES_MAX
                    || TxnCodec.utf8Length(a.scheme()) > TxnLimits.ACL_ID_BYTES_MAX)) {
                throw new Reject(ErrorCode.BAD_ARGUMENTS, path, "an ACL scheme or id is longer than the limit of "
                        + TxnLimits.ACL_ID_BYTES_MAX + " bytes");
            }
        }
        return acl;
    }

    private static void checkSession(TreeState s, Caller caller, String path) {
        if (caller.sessionId() != 0 && s.session(caller.sessionId()) == null) {
            throw new Reject(ErrorCode.SESSION_EXPIRED, path, "session " + hex(caller.sessionId()) + " has expired or does not exist");
        }
    }

    private static void checkVersionArgument(String path, int version) {
        if (version < -1) throw new Reject(ErrorCode.BAD_ARGUMENTS, path, "version must be -1 (any) or at least 0, was " + version);
    }

    private static void checkVersion(String path, int current, int expected) {
        if (expected != -1 && expected != current) {
            throw new Reject(ErrorCode.BAD_VERSION, path, "expected version " + expected + " but the node is at version " + current);
        }
    }

    static String hex(long sessionId) {
        return String.format(Locale.ROOT, "%016x", sessionId);
    }

    /** Internal control flow for a refused operation; never escapes {@link #prep}. */
    private static final class Reject extends RuntimeException {
        final ErrorCode code;
        final String path;

        Reject(ErrorCode code, String path, String message) {
            super(message, null, false, false);
            this.code = code;
            this.path = path;
        }
    }
}
