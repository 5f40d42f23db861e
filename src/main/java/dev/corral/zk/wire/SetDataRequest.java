package dev.corral.zk.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * The body of {@code setData} (5), alone or in a multi; {@code version} -1 matches any version.
 */
public record SetDataRequest(String path, byte[] data, int version) implements JuteRecord {
    public static SetDataRequest read(JuteReader in) {
        return new SetDataRequest(in.readString("path"), in.readBuffer("data"), in.readInt("version"));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeString(path).writeBuffer(data).writeInt(version);
    }

    /** Compares buffers by content: a record holding an array would otherwise compare it by identity. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SetDataRequest x
                && Objects.equals(path, x.path)
                && Arrays.equals(data, x.data)
                && version == x.version;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, Arrays.hashCode(data), version);
    }

    /** Shows the length of each buffer, never its bytes (it may be znode data). */
    @Override
    public String toString() {
        return "SetDataRequest["
                + "path=" + path + ", "
                + "data=" + (data == null ? "null" : data.length + " bytes") + ", "
                + "version=" + version
                + "]";
    }
}
