package dev.corral.zk.wire;

/**
 * The body of {@code getChildren2} (12): like {@link GetChildrenRequest}, answered with the parent's stat too.
 */
public record GetChildren2Request(String path, boolean watch) implements JuteRecord {
    public static GetChildren2Request read(JuteReader in) {
        return new GetChildren2Request(in.readString("path"), in.readBool("watch"));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeString(path).writeBool(watch);
    }
}
