package dev.corral.tree;

import dev.corral.txn.Acl;
import java.util.List;

/**
 * A change to the tree that watches can see, with ZooKeeper's event type, the zxid that made it, and the ACL
 * that decides who may be told: the ACL of the znode the event names, as it was when the change happened (for
 * a deleted znode, the ACL it had; for NodeChildrenChanged, the parent's). A watcher learns of the change only if
 * its identities may READ through that ACL, so that a watch never reveals what an ACL hides.
 */
public record TreeChange(EventType type, String path, long zxid, List<Acl> acl) {

    /** A change visible to every watcher: a znode readable by anyone, or an event addressed to the session itself. */
    public TreeChange(EventType type, String path, long zxid) {
        this(type, path, zxid, Acl.OPEN);
    }

    /** ZooKeeper's {@code Watcher.Event.EventType}, with the wire values. */
    public enum EventType {
        /** Not a znode change: the session closed or expired (ZooKeeper's state events have type None). */
        None(-1),
        NodeCreated(1),
        NodeDeleted(2),
        NodeDataChanged(3),
        NodeChildrenChanged(4);

        public final int wireCode;

        EventType(int wireCode) {
            this.wireCode = wireCode;
        }
    }
}
