package dev.corral.zk.wire;

/**
 * What precedes every reply and notification: the request's {@code xid} (or a reserved one, see {@link Xids}),
 * the zxid the server had reached when it answered, and an error code (0 for success; otherwise one of ZooKeeper's
 * {@code KeeperException.Code} values, such as -101 for {@code NONODE}). A client reads the body only when
 * {@code err} is 0.
 */
public record ReplyHeader(int xid, long zxid, int err) implements JuteRecord {
    public static ReplyHeader read(JuteReader in) {
        return new ReplyHeader(in.readInt("xid"), in.readLong("zxid"), in.readInt("err"));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeInt(xid).writeLong(zxid).writeInt(err);
    }
}
