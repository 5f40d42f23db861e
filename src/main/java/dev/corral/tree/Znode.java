package dev.corral.tree;

import dev.corral.txn.Acl;
import java.util.List;

/**
 * One znode, immutable. A change produces a new znode (and new ancestors up to the root) that shares every
 * untouched part with the old one; readers holding an old root keep a consistent view.
 *
 * <p>Kept small on purpose, because a tree of a million znodes lives on the heap. A znode does not hold its
 * name: that is its key in the parent's children map. {@code dataLength} and {@code numChildren} are derived,
 * not stored; ACL lists are interned and shared. Most znodes are created and never changed (and are leaves):
 * their whole Stat follows from their creation's zxid and time, so they are a {@link Pristine}, 40 bytes on
 * a 64-bit JVM with compressed pointers, against 88 for a {@link Full} znode that stores every Stat field.
 * {@link #of} picks the form, so equal znodes always have the same one.
 */
public abstract sealed class Znode permits Znode.Pristine, Znode.Full {
    static final byte[] NO_DATA = new byte[0];

    private final byte[] data;
    private final List<Acl> acl;
    private final long czxid;
    private final long ctime;

    private Znode(byte[] data, List<Acl> acl, long czxid, long ctime) {
        this.data = data;
        this.acl = acl;
        this.czxid = czxid;
        this.ctime = ctime;
    }

    /** The znode with these fields, in its smallest form. */
    static Znode of(byte[] data, List<Acl> acl, PersistentMap<String, Znode> children, long czxid, long mzxid, long pzxid,
            long ctime, long mtime, long ephemeralOwner, int version, int cversion, int aversion) {
        if (children.isEmpty() && mzxid == czxid && pzxid == czxid && mtime == ctime && ephemeralOwner == 0 && version == 0
                && cversion == 0 && aversion == 0) {
            return new Pristine(data, acl, czxid, ctime);
        }
        return new Full(data, acl, children, czxid, mzxid, pzxid, ctime, mtime, ephemeralOwner, version, cversion, aversion);
    }

    /** A freshly created znode, as ZooKeeper's {@code DataTree.createStat} makes it. */
    static Znode created(byte[] data, List<Acl> acl, long zxid, long time, long ephemeralOwner) {
        return of(data, acl, PersistentMap.empty(), zxid, zxid, zxid, time, time, ephemeralOwner, 0, 0, 0);
    }

    /** The znode's data. The array is shared and must not be modified. */
    public byte[] data() {
        return data;
    }

    public List<Acl> acl() {
        return acl;
    }

    public long czxid() {
        return czxid;
    }

    public long ctime() {
        return ctime;
    }

    public abstract long mzxid();

    public abstract long pzxid();

    public abstract long mtime();

    /** 0 (persistent), a session id (ephemeral), or ZooKeeper's container or TTL encoding; see {@link NodeKind}. */
    public abstract long ephemeralOwner();

    public abstract int version();

    /**
     * ZooKeeper's stored cversion ({@code StatPersisted.cversion}): the number of children ever created under this
     * znode. It names sequential children and tells a container that it once had a child. Clients never see it:
     * the Stat reports {@code 2 × childCreations − numChildren} ({@link #stat()}), the number of child creations and
     * deletions, as every child created and no longer there was deleted once. Snapshots keep this stored value.
     */
    public abstract int childCreations();

    public abstract int aversion();

    abstract PersistentMap<String, Znode> children();

    public int numChildren() {
        return children().size();
    }

    public Znode child(String name) {
        return children().get(name);
    }

    public List<String> childNames() {
        return children().keys();
    }

    /**
     * The Stat as ZooKeeper's clients see it ({@code DataNode.copyStat}): cversion counts child creations and
     * deletions ({@code 2 × creations − numChildren}, in int arithmetic as ZooKeeper's), and ephemeralOwner is the
     * owning session of an ephemeral and 0 for every other kind, containers and TTL znodes included.
     */
    public Stat stat() {
        int numChildren = numChildren();
        long clientOwner = NodeKind.of(ephemeralOwner()) == NodeKind.EPHEMERAL ? ephemeralOwner() : 0;
        return new Stat(czxid, mzxid(), pzxid(), ctime, mtime(), version(), 2 * childCreations() - numChildren, aversion(), clientOwner,
                data.length, numChildren);
    }

    Znode withChild(String name, Znode child) {
        return withChildren(children().with(name, child));
    }

    Znode withChildren(PersistentMap<String, Znode> newChildren) {
        return of(data, acl, newChildren, czxid, mzxid(), pzxid(), ctime, mtime(), ephemeralOwner(), version(), childCreations(), aversion());
    }

    Znode withChildAdded(String name, Znode child, long zxid) {
        return of(data, acl, children().with(name, child), czxid, mzxid(), zxid, ctime, mtime(), ephemeralOwner(), version(),
                childCreations() + 1, aversion());
    }

    Znode withChildRemoved(String childName, long zxid) {
        // ZooKeeper moves pzxid forward on delete but leaves the stored count of creations alone (DataTree.deleteNode);
        // the delete still shows in the Stat's cversion, which subtracts the children that remain.
        return of(data, acl, children().without(childName), czxid, mzxid(), Math.max(pzxid(), zxid), ctime, mtime(),
                ephemeralOwner(), version(), childCreations(), aversion());
    }

    Znode withData(byte[] newData, int newVersion, long zxid, long time) {
        return of(newData, acl, children(), czxid, zxid, pzxid(), ctime, time, ephemeralOwner(), newVersion, childCreations(), aversion());
    }

    Znode withAcl(List<Acl> newAcl, int newAversion) {
        return of(data, newAcl, children(), czxid, mzxid(), pzxid(), ctime, mtime(), ephemeralOwner(), version(), childCreations(),
                newAversion);
    }

    /** A persistent znode as it was created and never changed since: no children, every version 0. */
    static final class Pristine extends Znode {
        private Pristine(byte[] data, List<Acl> acl, long czxid, long ctime) {
            super(data, acl, czxid, ctime);
        }

        @Override
        public long mzxid() {
            return czxid();
        }

        @Override
        public long pzxid() {
            return czxid();
        }

        @Override
        public long mtime() {
            return ctime();
        }

        @Override
        public long ephemeralOwner() {
            return 0;
        }

        @Override
        public int version() {
            return 0;
        }

        @Override
        public int childCreations() {
            return 0;
        }

        @Override
        public int aversion() {
            return 0;
        }

        @Override
        PersistentMap<String, Znode> children() {
            return PersistentMap.empty();
        }
    }

    /** Any other znode, with every Stat field stored. */
    static final class Full extends Znode {
        private final PersistentMap<String, Znode> children;
        private final long mzxid;
        private final long pzxid;
        private final long mtime;
        private final long ephemeralOwner;
        private final int version;
        private final int cversion;
        private final int aversion;

        private Full(byte[] data, List<Acl> acl, PersistentMap<String, Znode> children, long czxid, long mzxid, long pzxid,
                long ctime, long mtime, long ephemeralOwner, int version, int cversion, int aversion) {
            super(data, acl, czxid, ctime);
            this.children = children;
            this.mzxid = mzxid;
            this.pzxid = pzxid;
            this.mtime = mtime;
            this.ephemeralOwner = ephemeralOwner;
            this.version = version;
            this.cversion = cversion;
            this.aversion = aversion;
        }

        @Override
        public long mzxid() {
            return mzxid;
        }

        @Override
        public long pzxid() {
            return pzxid;
        }

        @Override
        public long mtime() {
            return mtime;
        }

        @Override
        public long ephemeralOwner() {
            return ephemeralOwner;
        }

        @Override
        public int version() {
            return version;
        }

        @Override
        public int childCreations() {
            return cversion;
        }

        @Override
        public int aversion() {
            return aversion;
        }

        @Override
        PersistentMap<String, Znode> children() {
            return children;
        }
    }
}
