package dev.corral.zk.wire;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The body of {@code create} (1), {@code create2} (15) and {@code createContainer} (19), alone or in a multi.
 * {@code flags} is ZooKeeper's {@code CreateMode} flag: 0 persistent, 1 ephemeral, 2 persistent sequential,
 * 3 ephemeral sequential, 4 container, 5 and 6 the TTL modes; the codec carries any value and the server decides.
 */
public record CreateRequest(String path, byte[] data, List<Acl> acl, int flags) implements JuteRecord {
    public static CreateRequest read(JuteReader in) {
        return new CreateRequest(
                in.readString("path"),
                in.readBuffer("data"),
                in.readVector("acl", Acl.BYTES_MIN, Acl::read),
                in.readInt("flags"));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeString(path).writeBuffer(data).writeRecords(acl).writeInt(flags);
    }

    /** Compares buffers by content: a record holding an array would otherwise compare it by identity. */
    @Override
    public boolean equals(Object o) {
        return o instanceof CreateRequest x
                && Objects.equals(path, x.path)
                && Arrays.equals(data, x.data)
                && Objects.equals(acl, x.acl)
                && flags == x.flags;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, Arrays.hashCode(data), acl, flags);
    }

    /** Shows the length of each buffer, never its bytes (it may be znode data). */
    @Override
    public String toString() {
        return "CreateRequest["
                + "path=" + path + ", "
                + "data=" + (data == null ? "null" : data.length + " bytes") + ", "
                + "acl=" + acl + ", "
                + "flags=" + flags
                + "]";
    }
}
