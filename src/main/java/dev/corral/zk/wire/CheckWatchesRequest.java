package dev.corral.zk.wire;

/**
 * The body of {@code checkWatches} (17): whether the session has a watch of {@code type} on {@code path}
 * (ZooKeeper's {@code WatcherType}: 1 children, 2 data, 3 any, 4 persistent, 5 persistent recursive).
 */
public record CheckWatchesRequest(String path, int type) implements JuteRecord {
    public static CheckWatchesRequest read(JuteReader in) {
        return new CheckWatchesRequest(in.readString("path"), in.readInt("type"));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeString(path).writeInt(type);
    }
}
