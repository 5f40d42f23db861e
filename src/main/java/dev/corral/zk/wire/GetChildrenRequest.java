package dev.corral.zk.wire;

/**
 * The body of {@code getChildren} (8), alone or in a multiRead (where {@code watch} is false).
 */
public record GetChildrenRequest(String path, boolean watch) implements JuteRecord {
    public static GetChildrenRequest read(JuteReader in) {
        return new GetChildrenRequest(in.readString("path"), in.readBool("watch"));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeString(path).writeBool(watch);
    }
}
