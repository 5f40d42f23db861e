package dev.corral.zk.wire;

/**
 * The body of {@code addWatch} (106): a persistent watch on {@code path}, {@code mode} 0 for persistent and 1 for
 * persistent recursive ({@code AddWatchMode}). ZooKeeper answers with an {@link ErrorResponse} body of 0.
 */
public record AddWatchRequest(String path, int mode) implements JuteRecord {
    public static AddWatchRequest read(JuteReader in) {
        return new AddWatchRequest(in.readString("path"), in.readInt("mode"));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeString(path).writeInt(mode);
    }
}
