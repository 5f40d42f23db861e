package dev.corral.zk.wire;

/**
 * What precedes every request body after the handshake: the client's {@code xid}, which the reply echoes, and the
 * operation ({@link OpCodes}). The Java client numbers requests 1, 2, 3, ... and uses the reserved xids of
 * {@link Xids} for pings, authentication and re-set watches, whose replies it matches by xid instead of by order.
 */
public record RequestHeader(int xid, int type) implements JuteRecord {
    public static RequestHeader read(JuteReader in) {
        return new RequestHeader(in.readInt("xid"), in.readInt("type"));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeInt(xid).writeInt(type);
    }
}
