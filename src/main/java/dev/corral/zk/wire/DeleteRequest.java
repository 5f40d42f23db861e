package dev.corral.zk.wire;

/**
 * The body of {@code delete} (2), alone or in a multi; {@code version} -1 matches any version.
 */
public record DeleteRequest(String path, int version) implements JuteRecord {
    public static DeleteRequest read(JuteReader in) {
        return new DeleteRequest(in.readString("path"), in.readInt("version"));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeString(path).writeInt(version);
    }
}
