package dev.corral.zk.wire;

/**
 * Decodes the frames a ZooKeeper client sends (as {@link FrameDecoder} yields them, without the length prefix):
 * the {@link ConnectRequest} that opens a connection, then requests, each a {@link RequestHeader} and the body
 * its opcode calls for. Also encodes requests, as a client would, for tests and tools.
 *
 * <p><b>Bytes after a body are ignored</b>, as ZooKeeper ignores them: it reads a body from the frame's buffer
 * and never checks that the buffer is used up. Refusing them would gain nothing, since no field can hide there
 * that changes the meaning of what was read, and could only break a client that pads or appends a field (as the
 * {@code readOnly} byte of {@link ConnectRequest} was appended in 3.4).
 *
 * <p>Failures are {@link ZkWireException}s; once the header is read they carry it, and an opcode the codec does
 * not know is an {@link UnknownOpcodeException}. A multi holding a read operation, or a multiRead holding a write,
 * is refused (ZooKeeper refuses mixing them; its client never sends either). The number of operations in a multi
 * is bounded by {@code multiOpsMax}, by default {@link #MULTI_OPS_MAX_DEFAULT}.
 *
 * <p>Stateless and thread-safe.
 */
public final class ZkRequests {
    /** Most operations in one multi, the same as Corral's own limit on a transaction ({@code TxnLimits}). */
    public static final int MULTI_OPS_MAX_DEFAULT = 10_000;

    private ZkRequests() {}

    /** The first frame of a connection; see {@link ConnectRequest} for the optional {@code readOnly} byte. */
    public static ConnectRequest decodeConnect(byte[] frame) {
        return ConnectRequest.read(new JuteReader(frame));
    }

    /** A request frame, with at most {@link #MULTI_OPS_MAX_DEFAULT} operations in a multi. */
    public static ZkRequest decode(byte[] frame) {
        return decode(frame, MULTI_OPS_MAX_DEFAULT);
    }

    /** A request frame, with at most {@code multiOpsMax} operations in a multi. */
    public static ZkRequest decode(byte[] frame, int multiOpsMax) {
        JuteReader in = new JuteReader(frame);
        RequestHeader h = RequestHeader.read(in);
        try {
            return body(h, in, multiOpsMax);
        } catch (ZkWireException e) {
            if (e.header().isPresent()) throw e;
            throw e.withHeader(h);
        }
    }

    private static ZkRequest body(RequestHeader h, JuteReader in, int multiOpsMax) {
        int xid = h.xid();
        return switch (h.type()) {
            case OpCodes.CREATE -> new ZkRequest.Create(xid, CreateRequest.read(in));
            case OpCodes.DELETE -> new ZkRequest.Delete(xid, DeleteRequest.read(in));
            case OpCodes.EXISTS -> new ZkRequest.Exists(xid, ExistsRequest.read(in));
            case OpCodes.GET_DATA -> new ZkRequest.GetData(xid, GetDataRequest.read(in));
            case OpCodes.SET_DATA -> new ZkRequest.SetData(xid, SetDataRequest.read(in));
            case OpCodes.GET_ACL -> new ZkRequest.GetAcl(xid, GetAclRequest.read(in));
            case OpCodes.SET_ACL -> new ZkRequest.SetAcl(xid, SetAclRequest.read(in));
            case OpCodes.GET_CHILDREN -> new ZkRequest.GetChildren(xid, GetChildrenRequest.read(in));
            case OpCodes.SYNC -> new ZkRequest.Sync(xid, SyncRequest.read(in));
            case OpCodes.PING -> new ZkRequest.Ping(xid);
            case OpCodes.GET_CHILDREN2 -> new ZkRequest.GetChildren2(xid, GetChildren2Request.read(in));
            case OpCodes.CHECK -> new ZkRequest.Check(xid, CheckVersionRequest.read(in));
            case OpCodes.MULTI -> new ZkRequest.Multi(xid, multi(in, multiOpsMax, false));
            case OpCodes.CREATE2 -> new ZkRequest.Create2(xid, CreateRequest.read(in));
            case OpCodes.CHECK_WATCHES -> new ZkRequest.CheckWatches(xid, CheckWatchesRequest.read(in));
            case OpCodes.REMOVE_WATCHES -> new ZkRequest.RemoveWatches(xid, RemoveWatchesRequest.read(in));
            case OpCodes.CREATE_CONTAINER -> new ZkRequest.CreateContainer(xid, CreateRequest.read(in));
            case OpCodes.CREATE_TTL -> new ZkRequest.CreateTtl(xid, CreateTtlRequest.read(in));
            case OpCodes.MULTI_READ -> new ZkRequest.MultiRead(xid, multi(in, multiOpsMax, true));
            case OpCodes.AUTH -> new ZkRequest.Auth(xid, AuthPacket.read(in));
            case OpCodes.SET_WATCHES -> new ZkRequest.SetWatches(xid, SetWatchesRequest.read(in));
            case OpCodes.GET_EPHEMERALS -> new ZkRequest.GetEphemerals(xid, GetEphemeralsRequest.read(in));
            case OpCodes.GET_ALL_CHILDREN_NUMBER ->
                    new ZkRequest.GetAllChildrenNumber(xid, GetAllChildrenNumberRequest.read(in));
            case OpCodes.SET_WATCHES2 -> new ZkRequest.SetWatches2(xid, SetWatches2Request.read(in));
            case OpCodes.ADD_WATCH -> new ZkRequest.AddWatch(xid, AddWatchRequest.read(in));
            case OpCodes.WHO_AM_I -> new ZkRequest.WhoAmI(xid);
            case OpCodes.CLOSE_SESSION -> new ZkRequest.CloseSession(xid);
            default -> throw new UnknownOpcodeException(h);
        };
    }

    private static MultiRequest multi(JuteReader in, int opsMax, boolean read) {
        MultiRequest m = MultiRequest.read(in, opsMax);
        for (int i = 0; i < m.ops().size(); i++) {
            MultiOp op = m.ops().get(i);
            if (op.isRead() != read) {
                throw new ZkWireException("operation " + i + " is " + OpCodes.name(op.opcode()) + ", which a "
                        + (read ? "multiRead" : "multi") + " cannot hold");
            }
        }
        return m;
    }

    /** The bytes a client sends for {@code request}: length prefix, header and body. */
    public static byte[] encode(ZkRequest request) {
        return FrameEncoder.encode(request.header(), request.body());
    }

    /** The bytes a client sends to open a connection: length prefix and {@code request}. */
    public static byte[] encodeConnect(ConnectRequest request) {
        return FrameEncoder.encode(request);
    }
}
