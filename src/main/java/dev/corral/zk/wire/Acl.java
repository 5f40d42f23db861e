package dev.corral.zk.wire;

import java.util.Objects;

/**
 * One ACL entry: a permission mask ({@code READ} 1, {@code WRITE} 2, {@code CREATE} 4, {@code DELETE} 8,
 * {@code ADMIN} 16) granted to an {@link Id}. The codec carries any mask; validating it is the server's job.
 */
public record Acl(int perms, Id id) implements JuteRecord {
    /** Fewest bytes an encoded Acl takes: bounds the count of a vector of them. */
    public static final int BYTES_MIN = 12;

    public Acl {
        Objects.requireNonNull(id, "id");
    }

    public static Acl read(JuteReader in) {
        return new Acl(in.readInt("perms"), Id.read(in));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeInt(perms).writeRecord(id);
    }
}
