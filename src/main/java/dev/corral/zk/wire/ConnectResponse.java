package dev.corral.zk.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * The server's answer to a {@link ConnectRequest}, sent with no {@link ReplyHeader}: the session id and password
 * (a timeout of 0 or less tells the client its session has expired) and whether the server is read-only.
 *
 * <p>{@code readOnlyFieldSent} says whether the trailing {@code readOnly} byte is on the wire. A server sets it
 * to the request's {@link ConnectRequest#readOnlyFieldSent()}, as ZooKeeper does: a client from before that field
 * would otherwise read the byte as the start of its next frame. Decoding accepts both forms.
 *
 * @param timeoutMs the negotiated session timeout in milliseconds (ZooKeeper's {@code timeOut})
 * @param passwd the session password; never shown by {@link #toString}
 */
public record ConnectResponse(
        int protocolVersion,
        int timeoutMs,
        long sessionId,
        byte[] passwd,
        boolean readOnly,
        boolean readOnlyFieldSent) implements JuteRecord {

    public ConnectResponse {
        if (readOnly && !readOnlyFieldSent) throw new IllegalArgumentException("readOnly without the readOnly field");
    }

    public static ConnectResponse read(JuteReader in) {
        int protocolVersion = in.readInt("protocolVersion");
        int timeoutMs = in.readInt("timeOut");
        long sessionId = in.readLong("sessionId");
        byte[] passwd = in.readBuffer("passwd");
        boolean sent = in.remaining() > 0;
        boolean readOnly = sent && in.readBool("readOnly");
        return new ConnectResponse(protocolVersion, timeoutMs, sessionId, passwd, readOnly, sent);
    }

    @Override
    public void write(JuteWriter out) {
        out.writeInt(protocolVersion).writeInt(timeoutMs).writeLong(sessionId).writeBuffer(passwd);
        if (readOnlyFieldSent) out.writeBool(readOnly);
    }

    /** Compares the password by content: a record holding an array would otherwise compare it by identity. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ConnectResponse x
                && protocolVersion == x.protocolVersion
                && timeoutMs == x.timeoutMs
                && sessionId == x.sessionId
                && Arrays.equals(passwd, x.passwd)
                && readOnly == x.readOnly
                && readOnlyFieldSent == x.readOnlyFieldSent;
    }

    @Override
    public int hashCode() {
        return Objects.hash(protocolVersion, timeoutMs, sessionId, Arrays.hashCode(passwd), readOnly,
                readOnlyFieldSent);
    }

    /** Shows the session id in hex, as ZooKeeper logs it, and never the password. */
    @Override
    public String toString() {
        return "ConnectResponse[protocolVersion=" + protocolVersion + ", timeoutMs=" + timeoutMs
                + ", sessionId=0x" + Long.toHexString(sessionId)
                + ", passwd=" + (passwd == null ? "null" : passwd.length + " bytes")
                + ", readOnly=" + (readOnlyFieldSent ? readOnly : "absent") + "]";
    }
}
