package dev.corral.zk.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * The first frame a client sends on a connection, with no {@link RequestHeader}: a new session
 * ({@code sessionId} 0) or the resumption of one ({@code sessionId} and its password), the session timeout the
 * client asks for, and the last zxid it has seen (a server that is behind it must refuse it).
 *
 * <p>The trailing {@code readOnly} byte (the client accepts a read-only server) came with ZooKeeper 3.4; older
 * clients end the frame after {@code passwd}. Decoding accepts both and records which it saw in
 * {@code readOnlyFieldSent}, because the server must answer in kind: ZooKeeper sends the {@code readOnly} byte of
 * its {@link ConnectResponse} only to a client that sent one. Bytes after {@code readOnly} are ignored, as
 * ZooKeeper ignores them.
 *
 * @param timeoutMs the session timeout the client asks for, in milliseconds (ZooKeeper's {@code timeOut})
 * @param passwd the session password, null or empty for a new session; never shown by {@link #toString}
 */
public record ConnectRequest(
        int protocolVersion,
        long lastZxidSeen,
        int timeoutMs,
        long sessionId,
        byte[] passwd,
        boolean readOnly,
        boolean readOnlyFieldSent) implements JuteRecord {

    public ConnectRequest {
        if (readOnly && !readOnlyFieldSent) throw new IllegalArgumentException("readOnly without the readOnly field");
    }

    /** Reads a request with or without the trailing {@code readOnly} byte. */
    public static ConnectRequest read(JuteReader in) {
        int protocolVersion = in.readInt("protocolVersion");
        long lastZxidSeen = in.readLong("lastZxidSeen");
        int timeoutMs = in.readInt("timeOut");
        long sessionId = in.readLong("sessionId");
        byte[] passwd = in.readBuffer("passwd");
        boolean sent = in.remaining() > 0;
        boolean readOnly = sent && in.readBool("readOnly");
        return new ConnectRequest(protocolVersion, lastZxidSeen, timeoutMs, sessionId, passwd, readOnly, sent);
    }

    /** Writes the {@code readOnly} byte only if {@link #readOnlyFieldSent}, as a client of that age would. */
    @Override
    public void write(JuteWriter out) {
        out.writeInt(protocolVersion).writeLong(lastZxidSeen).writeInt(timeoutMs).writeLong(sessionId)
                .writeBuffer(passwd);
        if (readOnlyFieldSent) out.writeBool(readOnly);
    }

    /** Compares the password by content: a record holding an array would otherwise compare it by identity. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ConnectRequest x
                && protocolVersion == x.protocolVersion
                && lastZxidSeen == x.lastZxidSeen
                && timeoutMs == x.timeoutMs
                && sessionId == x.sessionId
                && Arrays.equals(passwd, x.passwd)
                && readOnly == x.readOnly
                && readOnlyFieldSent == x.readOnlyFieldSent;
    }

    @Override
    public int hashCode() {
        return Objects.hash(protocolVersion, lastZxidSeen, timeoutMs, sessionId, Arrays.hashCode(passwd), readOnly,
                readOnlyFieldSent);
    }

    /** Shows the session id in hex, as ZooKeeper logs it, and never the password. */
    @Override
    public String toString() {
        return "ConnectRequest[protocolVersion=" + protocolVersion
                + ", lastZxidSeen=0x" + Long.toHexString(lastZxidSeen)
                + ", timeoutMs=" + timeoutMs + ", sessionId=0x" + Long.toHexString(sessionId)
                + ", passwd=" + (passwd == null ? "null" : passwd.length + " bytes")
                + ", readOnly=" + (readOnlyFieldSent ? readOnly : "absent") + "]";
    }
}
