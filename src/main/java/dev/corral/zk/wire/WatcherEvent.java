package dev.corral.zk.wire;

/**
 * The body of a notification (reply xid -1, see {@link ZkResponses#notification}): the event type
 * ({@code NodeCreated} 1, {@code NodeDeleted} 2, {@code NodeDataChanged} 3, {@code NodeChildrenChanged} 4, ...),
 * the session state ({@code SyncConnected} 3) and the znode path.
 */
public record WatcherEvent(int type, int state, String path) implements JuteRecord {
    public static WatcherEvent read(JuteReader in) {
        return new WatcherEvent(in.readInt("type"), in.readInt("state"), in.readString("path"));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeInt(type).writeInt(state).writeString(path);
    }
}
