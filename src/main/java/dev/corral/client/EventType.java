package dev.corral.client;

/** What happened to a watched znode, ZooKeeper's {@code Watcher.Event.EventType} for znode events. */
public enum EventType {
    /** The znode was created. */
    NODE_CREATED("NodeCreated"),
    /** The znode was deleted. */
    NODE_DELETED("NodeDeleted"),
    /** The znode's data was set. */
    NODE_DATA_CHANGED("NodeDataChanged"),
    /** A child of the znode was created or deleted. */
    NODE_CHILDREN_CHANGED("NodeChildrenChanged");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    /** ZooKeeper's name, as the event stream carries it ({@code NodeDataChanged}). */
    public String wireName() {
        return wireName;
    }

    /** The type named {@code wireName} on the event stream, or null for one this client does not know. */
    static EventType ofWireName(String wireName) {
        for (EventType t : values()) {
            if (t.wireName.equals(wireName)) return t;
        }
        return null;
    }
}
