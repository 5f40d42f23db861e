package dev.corral.zk.wire;

/**
 * The body of {@code getData} (4), alone or in a multiRead (where {@code watch} is false).
 */
public record GetDataRequest(String path, boolean watch) implements JuteRecord {
    public static GetDataRequest read(JuteReader in) {
        return new GetDataRequest(in.readString("path"), in.readBool("watch"));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeString(path).writeBool(watch);
    }
}
