package dev.corral.zk.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * The body of {@code auth} (100), sent with xid -4 ({@link Xids#AUTH}): add credentials to the session.
 * {@code type} is 0 in every client; {@code auth} is the credential (for {@code digest}, {@code user:password}),
 * so {@link #toString} never shows it.
 */
public record AuthPacket(int type, String scheme, byte[] auth) implements JuteRecord {
    public static AuthPacket read(JuteReader in) {
        return new AuthPacket(in.readInt("type"), in.readString("scheme"), in.readBuffer("auth"));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeInt(type).writeString(scheme).writeBuffer(auth);
    }

    /** Compares buffers by content: a record holding an array would otherwise compare it by identity. */
    @Override
    public boolean equals(Object o) {
        return o instanceof AuthPacket x
                && type == x.type
                && Objects.equals(scheme, x.scheme)
                && Arrays.equals(auth, x.auth);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, scheme, Arrays.hashCode(auth));
    }

    /** Shows the length of each buffer, never its bytes (it may be the secret). */
    @Override
    public String toString() {
        return "AuthPacket["
                + "type=" + type + ", "
                + "scheme=" + scheme + ", "
                + "auth=" + (auth == null ? "null" : auth.length + " bytes")
                + "]";
    }
}
