package dev.corral.zk.wire;

/**
 * Encodes what a server sends a ZooKeeper client, each as the bytes to write to the connection: length prefix,
 * then the record(s). Three kinds of frame exist:
 * <ul>
 *   <li>the {@link ConnectResponse}, alone, in answer to the {@link ConnectRequest};
 *   <li>a reply: a {@link ReplyHeader} echoing the request's xid, then, if the operation has one and
 *       {@code err} is 0, its {@link ResponseBody} (a client ignores any body after a non-zero {@code err});
 *   <li>a notification: a {@link ReplyHeader} with xid -1, then a {@link WatcherEvent}.
 * </ul>
 * Replies must leave in the order the requests came, except those with reserved xids ({@link Xids}).
 *
 * <p>Stateless and thread-safe.
 */
public final class ZkResponses {
    private ZkResponses() {}

    public static byte[] connect(ConnectResponse response) {
        return FrameEncoder.encode(response);
    }

    /** A reply: {@code header}, then {@code body} unless it is null. */
    public static byte[] reply(ReplyHeader header, ResponseBody body) {
        return FrameEncoder.encode(header, body);
    }

    /** A successful reply to request {@code xid} with {@code body} (null for operations answered by a header). */
    public static byte[] ok(int xid, long zxid, ResponseBody body) {
        return reply(new ReplyHeader(xid, zxid, 0), body);
    }

    /** A failed reply to request {@code xid}: the header alone, carrying {@code err}. */
    public static byte[] error(int xid, long zxid, int err) {
        return reply(new ReplyHeader(xid, zxid, err), null);
    }

    /** A watch notification: the header with xid -1 and the zxid of the change, then {@code event}. */
    public static byte[] notification(long zxid, WatcherEvent event) {
        return FrameEncoder.encode(new ReplyHeader(Xids.NOTIFICATION, zxid, 0), event);
    }
}
