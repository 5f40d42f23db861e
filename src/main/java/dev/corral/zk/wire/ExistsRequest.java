package dev.corral.zk.wire;

/**
 * The body of {@code exists} (3); {@code watch} asks for a data watch (or an exist watch if the znode is absent).
 */
public record ExistsRequest(String path, boolean watch) implements JuteRecord {
    public static ExistsRequest read(JuteReader in) {
        return new ExistsRequest(in.readString("path"), in.readBool("watch"));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeString(path).writeBool(watch);
    }
}
