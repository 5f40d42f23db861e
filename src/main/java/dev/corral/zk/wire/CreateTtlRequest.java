package dev.corral.zk.wire;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The body of {@code createTTL} (21), alone or in a multi: a {@link CreateRequest} followed by the time to live
 * in milliseconds.
 */
public record CreateTtlRequest(String path, byte[] data, List<Acl> acl, int flags, long ttl) implements JuteRecord {
    public static CreateTtlRequest read(JuteReader in) {
        return new CreateTtlRequest(
                in.readString("path"),
                in.readBuffer("data"),
                in.readVector("acl", Acl.BYTES_MIN, Acl::read),
                in.readInt("flags"),
                in.readLong("ttl"));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeString(path).writeBuffer(data).writeRecords(acl).writeInt(flags).writeLong(ttl);
    }

    /** Compares buffers by content: a record holding an array would otherwise compare it by identity. */
    @Override
    public boolean equals(Object o) {
        return o instanceof CreateTtlRequest x
                && Objects.equals(path, x.path)
                && Arrays.equals(data, x.data)
                && Objects.equals(acl, x.acl)
                && flags == x.flags
                && ttl == x.ttl;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, Arrays.hashCode(data), acl, flags, ttl);
    }

    /** Shows the length of each buffer, never its bytes (it may be znode data). */
    @Override
    public String toString() {
        return "CreateTtlRequest["
                + "path=" + path + ", "
                + "data=" + (data == null ? "null" : data.length + " bytes") + ", "
                + "acl=" + acl + ", "
                + "flags=" + flags + ", "
                + "ttl=" + ttl
                + "]";
    }
}
