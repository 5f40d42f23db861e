package dev.corral.tree;

import dev.corral.txn.Acl;
import java.util.List;

/**
 * The replicated state, immutable: the znode tree, the session table and the indexes that expiry needs,
 * as of the transaction with zxid {@link #lastZxid()}.
 *
 * <p>A new state is derived by {@link Apply}; the old one stays valid and consistent, so readers and the
 * snapshot writer use whichever state they picked up without locks.
 */
public final class TreeState {
    /** Paths ZooKeeper creates in every tree, which clients cannot delete. */
    public static final List<String> SPECIAL_PATHS = List.of("/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config");

    final Znode root;
    final PersistentMap<Long, SessionEntry> sessions;
    /** Paths of container znodes, candidates for removal once empty. */
    final PersistentMap<String, Boolean> containers;
    /** Paths of TTL znodes, candidates for removal once expired. */
    final PersistentMap<String, Boolean> ttls;
    final long lastZxid;
    /** Number of znodes, the root and the built-in ones included (as ZooKeeper's znode_count). */
    final long nodeCount;
    /** Sum of the data lengths of all znodes. */
    final long dataBytes;
    /**
     * {@link Digest#of} this state, always: kept up to date by {@link Apply} at the cost of the znodes each
     * transaction changes, and computed while a snapshot is read.
     */
    final long digest;

    TreeState(Znode root, PersistentMap<Long, SessionEntry> sessions, PersistentMap<String, Boolean> containers,
            PersistentMap<String, Boolean> ttls, long lastZxid, long nodeCount, long dataBytes, long digest) {
        this.root = root;
        this.sessions = sessions;
        this.containers = containers;
        this.ttls = ttls;
        this.lastZxid = lastZxid;
        this.nodeCount = nodeCount;
        this.dataBytes = dataBytes;
        this.digest = digest;
    }

    /**
     * The tree every node starts from: the root, {@code /zookeeper}, its {@code quota} and {@code config}, with the
     * Stats ZooKeeper 3.9 shows for them. Its DataTree adds these children without counting them as creations, so
     * the root and {@code /zookeeper} report cversions of -1 and -2; and it gives {@code config} its read-only ACL
     * by a setACL at version -1, which leaves aversion -1.
     */
    public static TreeState initial() {
        Znode config = Znode.of(Znode.NO_DATA, Acl.READ_ONLY, PersistentMap.empty(), 0, 0, 0, 0, 0, 0, 0, 0, -1);
        Znode quota = Znode.of(Znode.NO_DATA, Acl.OPEN, PersistentMap.empty(), 0, 0, 0, 0, 0, 0, 0, 0, 0);
        Znode zookeeper = Znode.of(Znode.NO_DATA, Acl.OPEN,
                PersistentMap.<String, Znode>empty().with("quota", quota).with("config", config), 0, 0, 0, 0, 0, 0, 0, 0, 0);
        Znode root = Znode.of(Znode.NO_DATA, Acl.OPEN, PersistentMap.<String, Znode>empty().with("zookeeper", zookeeper),
                0, 0, 0, 0, 0, 0, 0, 0, 0);
        TreeState undigested = new TreeState(root, PersistentMap.empty(), PersistentMap.empty(), PersistentMap.empty(), 0, 4, 0, 0);
        return undigested.withDigest(Digest.of(undigested));
    }

    /** The znode at a valid {@code path}, or null. */
    public Znode find(String path) {
        Znode node = root;
        if (path.length() == 1) return node;
        int start = 1;
        for (int i = 1; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                node = node.child(path.substring(start, i));
                if (node == null) return null;
                start = i + 1;
            }
        }
        return node;
    }

    public Znode root() {
        return root;
    }

    public SessionEntry session(long id) {
        return sessions.get(id);
    }

    public List<SessionEntry> sessions() {
        return sessions.values();
    }

    public int sessionCount() {
        return sessions.size();
    }

    public List<String> containerPaths() {
        return containers.keys();
    }

    public List<String> ttlPaths() {
        return ttls.keys();
    }

    public long lastZxid() {
        return lastZxid;
    }

    public long nodeCount() {
        return nodeCount;
    }

    public long dataBytes() {
        return dataBytes;
    }

    /** The digest of this state: equal on every node that has applied the same log; see {@link Digest}. */
    public long digest() {
        return digest;
    }

    TreeState with(Znode newRoot, PersistentMap<Long, SessionEntry> newSessions, PersistentMap<String, Boolean> newContainers,
            PersistentMap<String, Boolean> newTtls, long newNodeCount, long newDataBytes, long newDigest) {
        return new TreeState(newRoot, newSessions, newContainers, newTtls, lastZxid, newNodeCount, newDataBytes, newDigest);
    }

    TreeState atZxid(long zxid) {
        return new TreeState(root, sessions, containers, ttls, zxid, nodeCount, dataBytes, digest);
    }

    TreeState withDigest(long newDigest) {
        return new TreeState(root, sessions, containers, ttls, lastZxid, nodeCount, dataBytes, newDigest);
    }
}
