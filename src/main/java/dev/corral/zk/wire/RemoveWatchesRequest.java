package dev.corral.zk.wire;

/**
 * The body of {@code removeWatches} (18): remove the session's watches of {@code type} on {@code path}
 * (ZooKeeper's {@code WatcherType}: 1 children, 2 data, 3 any, 4 persistent, 5 persistent recursive).
 */
public record RemoveWatchesRequest(String path, int type) implements JuteRecord {
    public static RemoveWatchesRequest read(JuteReader in) {
        return new RemoveWatchesRequest(in.readString("path"), in.readInt("type"));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeString(path).writeInt(type);
    }
}
