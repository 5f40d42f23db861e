package dev.corral.tree;

import dev.corral.txn.Acl;
import java.util.List;

/**
 * One znode, immutable. A change produces a new znode (and new ancestors up to the root) that shares every
 * untouched part with the old one; readers holding an old root keep a consistent view.
 *
 * <p>Kept small on purpose (about 88 bytes plus its name, data and its slot in the parent's children map),
 * because a tree of a million znodes lives on the heap: {@code dataLength} and {@code numChildren} are derived,
 * not stored; ACL lists are interned and shared.
 */
public final class Znode {
    static final byte[] NO_DATA = new byte[0];

    final String name;
    final byte[] data;
    final List<Acl> acl;
    final PersistentMap<String, Znode> children;
    final long czxid;
    final long mzxid;
    final long pzxid;
    final long ctime;
    final long mtime;
    /** 0 (persistent), a session id (ephemeral), or ZooKeeper's container or TTL encoding; see {@link NodeKind}. */
    final long ephemeralOwner;
    final int version;
    /**
     * ZooKeeper's stored cversion ({@code StatPersisted.cversion}): the number of children ever created under this
     * znode. It names sequential children and tells a container that it once had a child. Clients never see it:
     * the Stat reports {@code 2 × cversion − numChildren} ({@link #stat()}), the number of child creations and
     * deletions, as every child created and no longer there was deleted once. Snapshots keep this stored value.
     */
    final int cversion;
    final int aversion;

    Znode(String name, byte[] data, List<Acl> acl, PersistentMap<String, Znode> children,
            long czxid, long mzxid, long pzxid, long ctime, long mtime, long ephemeralOwner,
            int version, int cversion, int aversion) {
        this.name = name;
        this.data = data;
        this.acl = acl;
        this.children = children;
        this.czxid = czxid;
        this.mzxid = mzxid;
        this.pzxid = pzxid;
        this.ctime = ctime;
        this.mtime = mtime;
        this.ephemeralOwner = ephemeralOwner;
        this.version = version;
        this.cversion = cversion;
        this.aversion = aversion;
    }

    /** A freshly created znode, as ZooKeeper's {@code DataTree.createStat} makes it. */
    static Znode created(String name, byte[] data, List<Acl> acl, long zxid, long time, long ephemeralOwner) {
        return new Znode(name, data, acl, PersistentMap.empty(), zxid, zxid, zxid, time, time, ephemeralOwner, 0, 0, 0);
    }

    public String name() {
        return name;
    }

    /** The znode's data. The array is shared and must not be modified. */
    public byte[] data() {
        return data;
    }

    public List<Acl> acl() {
        return acl;
    }

    public long ephemeralOwner() {
        return ephemeralOwner;
    }

    public int version() {
        return version;
    }

    /** The stored counter behind cversion: children ever created here (see {@link #cversion}), not the Stat's cversion. */
    public int childCreations() {
        return cversion;
    }

    public int aversion() {
        return aversion;
    }

    public long mtime() {
        return mtime;
    }

    public long mzxid() {
        return mzxid;
    }

    public int numChildren() {
        return children.size();
    }

    public Znode child(String name) {
        return children.get(name);
    }

    public List<String> childNames() {
        return children.keys();
    }

    /**
     * The Stat as ZooKeeper's clients see it ({@code DataNode.copyStat}): cversion counts child creations and
     * deletions ({@code 2 × creations − numChildren}, in int arithmetic as ZooKeeper's), and ephemeralOwner is the
     * owning session of an ephemeral and 0 for every other kind, containers and TTL znodes included.
     */
    public Stat stat() {
        int numChildren = children.size();
        long clientOwner = NodeKind.of(ephemeralOwner) == NodeKind.EPHEMERAL ? ephemeralOwner : 0;
        return new Stat(czxid, mzxid, pzxid, ctime, mtime, version, 2 * cversion - numChildren, aversion, clientOwner,
                data.length, numChildren);
    }

    Znode withChild(Znode child) {
        return withChildren(children.with(child.name, child));
    }

    Znode withChildren(PersistentMap<String, Znode> newChildren) {
        return new Znode(name, data, acl, newChildren, czxid, mzxid, pzxid, ctime, mtime, ephemeralOwner,
                version, cversion, aversion);
    }

    Znode withChildAdded(Znode child, long zxid) {
        return new Znode(name, data, acl, children.with(child.name, child), czxid, mzxid, zxid, ctime, mtime,
                ephemeralOwner, version, cversion + 1, aversion);
    }

    Znode withChildRemoved(String childName, long zxid) {
        // ZooKeeper moves pzxid forward on delete but leaves the stored cversion (creations) alone (DataTree.deleteNode);
        // the delete still shows in the Stat's cversion, which subtracts the children that remain.
        return new Znode(name, data, acl, children.without(childName), czxid, mzxid, Math.max(pzxid, zxid), ctime,
                mtime, ephemeralOwner, version, cversion, aversion);
    }

    Znode withData(byte[] newData, int newVersion, long zxid, long time) {
        return new Znode(name, newData, acl, children, czxid, zxid, pzxid, ctime, time, ephemeralOwner,
                newVersion, cversion, aversion);
    }

    Znode withAcl(List<Acl> newAcl, int newAversion) {
        return new Znode(name, data, newAcl, children, czxid, mzxid, pzxid, ctime, mtime, ephemeralOwner,
                version, cversion, newAversion);
    }
}
