package dev.corral.zk.wire;

/**
 * The body of {@code check} (13), nearly always inside a multi; {@code version} -1 matches any version.
 */
public record CheckVersionRequest(String path, int version) implements JuteRecord {
    public static CheckVersionRequest read(JuteReader in) {
        return new CheckVersionRequest(in.readString("path"), in.readInt("version"));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeString(path).writeInt(version);
    }
}
