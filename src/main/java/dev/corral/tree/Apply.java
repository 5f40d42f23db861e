package dev.corral.tree;

import dev.corral.txn.Txn;
import dev.corral.txn.TxnRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Applies transactions to a {@link TreeState}: a pure function of the state, the zxid and the record.
 *
 * <p>Transactions were validated by {@link Prep} against the same state, so applying one cannot fail;
 * if it would (a missing parent, say), the log and the tree disagree, which is a bug, and apply throws
 * {@link IllegalStateException} so that the node stops rather than serve a wrong tree.
 *
 * <p>Every change keeps the state's {@link TreeState#digest()} up to date: the hash of each znode a transaction
 * changes is subtracted as it was and added as it is ({@link Digest}), so a transaction costs the znodes it touches,
 * never a walk of the tree. A {@link Txn.DigestCheck} compares the digest it carries with the state's and reports a
 * difference in {@link Applied#digestMismatch()}; it changes nothing else and never fails.
 *
 * <p>Not final only so that tests can observe every {@link #apply} (how often the replica applies an entry).
 */
public class Apply {
    private final AclTable acls;

    public Apply(AclTable acls) {
        this.acls = acls;
    }

    /**
     * The outcome of applying one transaction. {@code digestMismatch} is null unless the transaction was a
     * {@link Txn.DigestCheck} whose digest differs from the state's before it.
     */
    public record Applied(TreeState state, OpResult result, List<TreeChange> changes, DigestMismatch digestMismatch) {
        public Applied(TreeState state, OpResult result, List<TreeChange> changes) {
            this(state, result, changes, null);
        }
    }

    public Applied apply(TreeState state, long zxid, TxnRecord record) {
        if (zxid <= state.lastZxid) {
            throw new IllegalStateException("apply out of order: zxid " + zxid + " after " + state.lastZxid);
        }
        if (record.txn() instanceof Txn.DigestCheck check) {
            DigestMismatch mismatch = check.digest() == state.digest ? null : new DigestMismatch(zxid, check.digest(), state.digest);
            return new Applied(state.atZxid(zxid), new OpResult.Nothing(), List.of(), mismatch);
        }
        List<TreeChange> changes = new ArrayList<>(2);
        Step step = applyTxn(state, zxid, record.timeMs(), record.txn(), changes);
        return new Applied(step.state.atZxid(zxid), step.result, changes);
    }

    private record Step(TreeState state, OpResult result) {}

    /**
     * Applies one operation of a multi (or a single transaction) inside zxid {@code zxid} without moving the
     * state's last zxid; {@link Prep} uses it to validate each operation of a multi against its predecessors.
     */
    TreeState applyWithin(TreeState state, long zxid, long time, Txn txn) {
        return applyTxn(state, zxid, time, txn, new ArrayList<>(2)).state;
    }

    private Step applyTxn(TreeState s, long zxid, long time, Txn txn, List<TreeChange> changes) {
        return switch (txn) {
            case Txn.Create c -> create(s, zxid, time, c, changes);
            case Txn.Delete d -> new Step(delete(s, zxid, d.path(), changes), new OpResult.Deleted(d.path()));
            case Txn.SetData d -> setData(s, zxid, time, d, changes);
            case Txn.SetAcl a -> setAcl(s, a);
            case Txn.Check c -> new Step(s, new OpResult.Checked(c.path()));
            case Txn.Multi m -> {
                List<OpResult> results = new ArrayList<>(m.ops().size());
                TreeState cur = s;
                for (Txn op : m.ops()) {
                    Step step = applyTxn(cur, zxid, time, op, changes);
                    cur = step.state;
                    results.add(step.result);
                }
                yield new Step(cur, new OpResult.MultiDone(List.copyOf(results)));
            }
            case Txn.CreateSession cs -> {
                if (s.sessions.containsKey(cs.sessionId())) {
                    throw new IllegalStateException("session " + Long.toHexString(cs.sessionId()) + " exists at zxid " + zxid);
                }
                SessionEntry entry = new SessionEntry(cs.sessionId(), cs.timeoutMs(), cs.secret(), PersistentMap.empty());
                TreeState next = s.with(s.root, s.sessions.with(cs.sessionId(), entry), s.containers, s.ttls, s.nodeCount, s.dataBytes,
                        s.digest + Digest.session(entry));
                yield new Step(next, new OpResult.SessionOpened(cs.sessionId(), cs.timeoutMs(), cs.secret()));
            }
            case Txn.CloseSession cs -> new Step(closeSession(s, zxid, cs.sessionId(), changes),
                    new OpResult.SessionClosed(cs.sessionId()));
            case Txn.Noop n -> new Step(s, new OpResult.Nothing());
            // Only at the top level, where apply() compares it; the codec and validation never nest one.
            case Txn.DigestCheck d -> throw new IllegalStateException("digest check inside a multi at zxid " + zxid);
        };
    }

    private Step create(TreeState s, long zxid, long time, Txn.Create c, List<TreeChange> changes) {
        String path = c.path();
        String parentPath = Paths.parent(path);
        String name = Paths.name(path);
        Znode child = Znode.created(c.data(), acls.intern(c.acl()), zxid, time, c.ephemeralOwner());
        Znode[] parentBefore = new Znode[1];
        Znode[] parentAfter = new Znode[1];
        Znode newRoot = update(s.root, parentPath, parent -> {
            if (parent.child(name) != null) {
                throw new IllegalStateException("create of existing " + path + " at zxid " + zxid);
            }
            parentBefore[0] = parent;
            return parentAfter[0] = parent.withChildAdded(name, child, zxid);
        });
        PersistentMap<Long, SessionEntry> sessions = s.sessions;
        PersistentMap<String, Boolean> containers = s.containers;
        PersistentMap<String, Boolean> ttls = s.ttls;
        switch (NodeKind.of(c.ephemeralOwner())) {
            case CONTAINER -> containers = containers.with(path, Boolean.TRUE);
            case TTL -> ttls = ttls.with(path, Boolean.TRUE);
            case EPHEMERAL -> {
                SessionEntry owner = sessions.get(c.ephemeralOwner());
                if (owner == null) {
                    throw new IllegalStateException("ephemeral " + path + " for unknown session "
                            + Long.toHexString(c.ephemeralOwner()) + " at zxid " + zxid);
                }
                sessions = sessions.with(owner.id(), owner.withEphemeral(path));
            }
            case PERSISTENT -> { }
        }
        changes.add(new TreeChange(TreeChange.EventType.NodeCreated, path, zxid, child.acl()));
        changes.add(new TreeChange(TreeChange.EventType.NodeChildrenChanged, parentPath, zxid, parentAfter[0].acl()));
        long digest = s.digest + Digest.znode(path, child) + Digest.statChange(parentPath, parentBefore[0], parentAfter[0]);
        TreeState next = s.with(newRoot, sessions, containers, ttls, s.nodeCount + 1, s.dataBytes + c.data().length, digest);
        return new Step(next, new OpResult.Created(path, child.stat()));
    }

    private TreeState delete(TreeState s, long zxid, String path, List<TreeChange> changes) {
        String parentPath = Paths.parent(path);
        String name = Paths.name(path);
        Znode[] removed = new Znode[1];
        Znode[] parentBefore = new Znode[1];
        Znode[] parentAfter = new Znode[1];
        Znode newRoot = update(s.root, parentPath, parent -> {
            Znode child = parent.child(name);
            if (child == null || child.numChildren() != 0) {
                throw new IllegalStateException("delete of " + (child == null ? "missing " : "non-empty ") + path + " at zxid " + zxid);
            }
            removed[0] = child;
            parentBefore[0] = parent;
            return parentAfter[0] = parent.withChildRemoved(name, zxid);
        });
        Znode node = removed[0];
        PersistentMap<Long, SessionEntry> sessions = s.sessions;
        PersistentMap<String, Boolean> containers = s.containers;
        PersistentMap<String, Boolean> ttls = s.ttls;
        switch (NodeKind.of(node.ephemeralOwner())) {
            case CONTAINER -> containers = containers.without(path);
            case TTL -> ttls = ttls.without(path);
            case EPHEMERAL -> {
                SessionEntry owner = sessions.get(node.ephemeralOwner());
                if (owner != null) sessions = sessions.with(owner.id(), owner.withoutEphemeral(path));
            }
            case PERSISTENT -> { }
        }
        changes.add(new TreeChange(TreeChange.EventType.NodeDeleted, path, zxid, node.acl()));
        changes.add(new TreeChange(TreeChange.EventType.NodeChildrenChanged, parentPath, zxid, parentAfter[0].acl()));
        long digest = s.digest - Digest.znode(path, node) + Digest.statChange(parentPath, parentBefore[0], parentAfter[0]);
        return s.with(newRoot, sessions, containers, ttls, s.nodeCount - 1, s.dataBytes - node.data().length, digest);
    }

    private Step setData(TreeState s, long zxid, long time, Txn.SetData d, List<TreeChange> changes) {
        Znode[] old = new Znode[1];
        Znode[] updated = new Znode[1];
        Znode newRoot = update(s.root, d.path(), node -> {
            old[0] = node;
            updated[0] = node.withData(d.data(), d.version(), zxid, time);
            return updated[0];
        });
        changes.add(new TreeChange(TreeChange.EventType.NodeDataChanged, d.path(), zxid, updated[0].acl()));
        TreeState next = s.with(newRoot, s.sessions, s.containers, s.ttls, s.nodeCount,
                s.dataBytes - old[0].data().length + d.data().length, s.digest - Digest.znode(d.path(), old[0]) + Digest.znode(d.path(), updated[0]));
        return new Step(next, new OpResult.DataSet(d.path(), updated[0].stat()));
    }

    private Step setAcl(TreeState s, Txn.SetAcl a) {
        Znode[] old = new Znode[1];
        Znode[] updated = new Znode[1];
        Znode newRoot = update(s.root, a.path(), node -> {
            old[0] = node;
            return updated[0] = node.withAcl(acls.intern(a.acl()), a.aversion());
        });
        TreeState next = s.with(newRoot, s.sessions, s.containers, s.ttls, s.nodeCount, s.dataBytes,
                s.digest - Digest.znode(a.path(), old[0]) + Digest.znode(a.path(), updated[0]));
        return new Step(next, new OpResult.AclSet(a.path(), updated[0].acl(), updated[0].stat()));
    }

    private TreeState closeSession(TreeState s, long zxid, long sessionId, List<TreeChange> changes) {
        SessionEntry entry = s.sessions.get(sessionId);
        if (entry == null) return s;
        // Delete deepest paths first; an ephemeral has no children, so the order only has to be deterministic.
        List<String> paths = entry.ephemerals().keys();
        paths.sort(null);
        TreeState cur = s;
        for (int i = paths.size() - 1; i >= 0; i--) {
            cur = delete(cur, zxid, paths.get(i), changes);
        }
        return cur.with(cur.root, cur.sessions.without(sessionId), cur.containers, cur.ttls, cur.nodeCount, cur.dataBytes,
                cur.digest - Digest.session(entry));
    }

    /** Rebuilds the path from {@code root} to the znode at {@code path}, replacing that znode by {@code fn}'s result. */
    private static Znode update(Znode root, String path, UnaryOperator<Znode> fn) {
        return updateAt(root, Paths.segments(path), 0, fn, path);
    }

    private static Znode updateAt(Znode node, String[] segments, int depth, UnaryOperator<Znode> fn, String path) {
        if (depth == segments.length) return fn.apply(node);
        Znode child = node.child(segments[depth]);
        if (child == null) {
            throw new IllegalStateException("no znode at " + path + " (missing " + segments[depth] + ")");
        }
        return node.withChild(segments[depth], updateAt(child, segments, depth + 1, fn, path));
    }
}
