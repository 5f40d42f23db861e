package dev.corral.zk.wire;

/**
 * The body of {@code getACL} (6).
 */
public record GetAclRequest(String path) implements JuteRecord {
    public static GetAclRequest read(JuteReader in) {
        return new GetAclRequest(in.readString("path"));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeString(path);
    }
}
