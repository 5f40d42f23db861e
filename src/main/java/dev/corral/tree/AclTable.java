package dev.corral.tree;

import dev.corral.txn.Acl;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Interns ACL lists so that the million znodes sharing one ACL share one list object, as ZooKeeper's ACL
 * cache does. Interning changes identity only, never meaning, so it does not affect determinism.
 * Thread-safe.
 *
 * <p>Lists are never evicted, so the table holds at most {@code listsMax} of them: real trees use a few
 * distinct ACLs, but a client that gives every znode its own would otherwise grow the table by one list per
 * write, for good, also after the znodes are deleted. Past the bound a new list is copied, not interned: the
 * znodes that use it keep their own copy, which goes when they do.
 */
public final class AclTable {
    /** The default bound on interned lists. */
    public static final int LISTS_MAX_DEFAULT = 10_000;

    private final ConcurrentHashMap<List<Acl>, List<Acl>> lists = new ConcurrentHashMap<>();
    private final int listsMax;

    public AclTable() {
        this(LISTS_MAX_DEFAULT);
    }

    public AclTable(int listsMax) {
        if (listsMax < 2) throw new IllegalArgumentException("listsMax must be at least 2, got " + listsMax);
        this.listsMax = listsMax;
        lists.put(Acl.OPEN, Acl.OPEN);
        lists.put(Acl.READ_ONLY, Acl.READ_ONLY);
    }

    public List<Acl> intern(List<Acl> acl) {
        List<Acl> existing = lists.get(acl);
        if (existing != null) return existing;
        List<Acl> copy = List.copyOf(acl);
        // Racing threads may each add one past the bound; it stays within listsMax plus the number of threads.
        if (lists.size() >= listsMax) return copy;
        existing = lists.putIfAbsent(copy, copy);
        return existing == null ? copy : existing;
    }

    public int size() {
        return lists.size();
    }
}
