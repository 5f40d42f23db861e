package dev.corral.tree;

/** A change to the tree that watches can see, with ZooKeeper's event type and the zxid that made it. */
public record TreeChange(EventType type, String path, long zxid) {

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
