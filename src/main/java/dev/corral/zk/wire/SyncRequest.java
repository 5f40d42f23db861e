package dev.corral.zk.wire;

/**
 * The body of {@code sync} (9).
 */
public record SyncRequest(String path) implements JuteRecord {
    public static SyncRequest read(JuteReader in) {
        return new SyncRequest(in.readString("path"));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeString(path);
    }
}
