package dev.corral.zk.wire;

/**
 * Reserved xids. A ZooKeeper client matches ordinary replies to its requests by order (their xids must come
 * back in the order sent), but these it recognises by value: a server must send notifications with
 * {@link #NOTIFICATION} and answer pings and authentication with the reserved xid the client used. In short: a
 * reply always echoes the request's xid. The codec does not check xids on requests: ZooKeeper dispatches on the
 * opcode alone.
 */
public final class Xids {
    /** A watch notification ({@link WatcherEvent}), sent by the server unasked. */
    public static final int NOTIFICATION = -1;
    /** A ping and its reply. */
    public static final int PING = -2;
    /** An {@link AuthPacket} and its reply (err 0, or {@code AUTHFAILED} -115 before the server closes). */
    public static final int AUTH = -4;
    /**
     * Reserved for a {@link SetWatchesRequest} or {@link SetWatches2Request} and its reply, but not seen on the
     * wire from a 3.9 Java client: it builds the request with -8, yet its socket layer gives every request but a
     * ping and an auth the next ordinary xid just before sending, so setWatches arrives with an ordinary xid and is
     * answered in order like any request.
     */
    public static final int SET_WATCHES = -8;

    private Xids() {}
}
