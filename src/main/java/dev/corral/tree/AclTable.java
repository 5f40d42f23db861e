package dev.corral.tree;

import dev.corral.txn.Acl;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Interns ACL lists so that the million znodes sharing one ACL share one list object, as ZooKeeper's ACL
 * cache does. Interning changes identity only, never meaning, so it does not affect determinism.
 * Thread-safe. Lists are never evicted; the number of distinct ACL lists in real trees is small.
 */
public final class AclTable {
    private final ConcurrentHashMap<List<Acl>, List<Acl>> lists = new ConcurrentHashMap<>();

    public AclTable() {
        lists.put(Acl.OPEN, Acl.OPEN);
        lists.put(Acl.READ_ONLY, Acl.READ_ONLY);
    }

    public List<Acl> intern(List<Acl> acl) {
        List<Acl> existing = lists.get(acl);
        if (existing != null) return existing;
        List<Acl> copy = List.copyOf(acl);
        existing = lists.putIfAbsent(copy, copy);
        return existing == null ? copy : existing;
    }

    public int size() {
        return lists.size();
    }
}
