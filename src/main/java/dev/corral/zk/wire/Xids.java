package dev.corral.zk.wire;

/**
 * Reserved xids. A ZooKeeper client matches ordinary replies to its requests by order (their xids must come
 * back in the order sent), but these it recognises by value: a server must send notifications with
 * {@link #NOTIFICATION} and answer pings, authentication and re-set watches with the xid the client used, which
 * is the reserved one. The codec does not enforce them on requests: ZooKeeper dispatches on the opcode alone.
 */
public final class Xids {
    /** A watch notification ({@link WatcherEvent}), sent by the server unasked. */
    public static final int NOTIFICATION = -1;
    /** A ping and its reply. */
    public static final int PING = -2;
    /** An {@link AuthPacket} and its reply (err 0, or {@code AUTHFAILED} -115 before the server closes). */
    public static final int AUTH = -4;
    /** A {@link SetWatchesRequest} or {@link SetWatches2Request} and its reply. */
    public static final int SET_WATCHES = -8;

    private Xids() {}
}
