package dev.corral.zk.wire;

import java.util.Objects;

/**
 * A decoded request, one variant per operation, so that a server's {@code switch} over it must cover every
 * operation the codec knows. Each variant holds the client's {@code xid}, which the reply must echo, and the
 * body record; {@link #opcode()} is fixed by the variant. Made by {@link ZkRequests#decode}.
 */
public sealed interface ZkRequest {
    int xid();

    int opcode();

    /** The body, or null for {@link Ping}, {@link WhoAmI} and {@link CloseSession}, which have none. */
    JuteRecord body();

    /** The header this request is sent with. */
    default RequestHeader header() {
        return new RequestHeader(xid(), opcode());
    }

    /** {@code create} (1): answered with {@link CreateResponse}. */
    record Create(int xid, CreateRequest body) implements ZkRequest {
        public Create {
            Objects.requireNonNull(body, "body");
        }

        @Override
        public int opcode() {
            return OpCodes.CREATE;
        }
    }

    /** {@code create2} (15): answered with {@link Create2Response}. */
    record Create2(int xid, CreateRequest body) implements ZkRequest {
        public Create2 {
            Objects.requireNonNull(body, "body");
        }

        @Override
        public int opcode() {
            return OpCodes.CREATE2;
        }
    }

    /** {@code createContainer} (19): answered with {@link Create2Response}. */
    record CreateContainer(int xid, CreateRequest body) implements ZkRequest {
        public CreateContainer {
            Objects.requireNonNull(body, "body");
        }

        @Override
        public int opcode() {
            return OpCodes.CREATE_CONTAINER;
        }
    }

    /** {@code createTTL} (21): answered with {@link Create2Response}. */
    record CreateTtl(int xid, CreateTtlRequest body) implements ZkRequest {
        public CreateTtl {
            Objects.requireNonNull(body, "body");
        }

        @Override
        public int opcode() {
            return OpCodes.CREATE_TTL;
        }
    }

    /** {@code delete} (2): answered with a header alone. */
    record Delete(int xid, DeleteRequest body) implements ZkRequest {
        public Delete {
            Objects.requireNonNull(body, "body");
        }

        @Override
        public int opcode() {
            return OpCodes.DELETE;
        }
    }

    /** {@code exists} (3): answered with {@link ExistsResponse}. */
    record Exists(int xid, ExistsRequest body) implements ZkRequest {
        public Exists {
            Objects.requireNonNull(body, "body");
        }

        @Override
        public int opcode() {
            return OpCodes.EXISTS;
        }
    }

    /** {@code getData} (4): answered with {@link GetDataResponse}. */
    record GetData(int xid, GetDataRequest body) implements ZkRequest {
        public GetData {
            Objects.requireNonNull(body, "body");
        }

        @Override
        public int opcode() {
            return OpCodes.GET_DATA;
        }
    }

    /** {@code setData} (5): answered with {@link SetDataResponse}. */
    record SetData(int xid, SetDataRequest body) implements ZkRequest {
        public SetData {
            Objects.requireNonNull(body, "body");
        }

        @Override
        public int opcode() {
            return OpCodes.SET_DATA;
        }
    }

    /** {@code getACL} (6): answered with {@link GetAclResponse}. */
    record GetAcl(int xid, GetAclRequest body) implements ZkRequest {
        public GetAcl {
            Objects.requireNonNull(body, "body");
        }

        @Override
        public int opcode() {
            return OpCodes.GET_ACL;
        }
    }

    /** {@code setACL} (7): answered with {@link SetAclResponse}. */
    record SetAcl(int xid, SetAclRequest body) implements ZkRequest {
        public SetAcl {
            Objects.requireNonNull(body, "body");
        }

        @Override
        public int opcode() {
            return OpCodes.SET_ACL;
        }
    }

    /** {@code getChildren} (8): answered with {@link GetChildrenResponse}. */
    record GetChildren(int xid, GetChildrenRequest body) implements ZkRequest {
        public GetChildren {
            Objects.requireNonNull(body, "body");
        }

        @Override
        public int opcode() {
            return OpCodes.GET_CHILDREN;
        }
    }

    /** {@code sync} (9): answered with {@link SyncResponse}. */
    record Sync(int xid, SyncRequest body) implements ZkRequest {
        public Sync {
            Objects.requireNonNull(body, "body");
        }

        @Override
        public int opcode() {
            return OpCodes.SYNC;
        }
    }

    /** {@code ping} (11), no body, sent with xid -2: answered with a header alone, xid -2. */
    record Ping(int xid) implements ZkRequest {
        @Override
        public int opcode() {
            return OpCodes.PING;
        }

        @Override
        public JuteRecord body() {
            return null;
        }
    }

    /** {@code getChildren2} (12): answered with {@link GetChildren2Response}. */
    record GetChildren2(int xid, GetChildren2Request body) implements ZkRequest {
        public GetChildren2 {
            Objects.requireNonNull(body, "body");
        }

        @Override
        public int opcode() {
            return OpCodes.GET_CHILDREN2;
        }
    }

    /** {@code check} (13) on its own: ZooKeeper answers with {@link SetDataResponse}. */
    record Check(int xid, CheckVersionRequest body) implements ZkRequest {
        public Check {
            Objects.requireNonNull(body, "body");
        }

        @Override
        public int opcode() {
            return OpCodes.CHECK;
        }
    }

    /** {@code multi} (14), write operations only: answered with {@link MultiResponse}. */
    record Multi(int xid, MultiRequest body) implements ZkRequest {
        public Multi {
            Objects.requireNonNull(body, "body");
            for (MultiOp op : body.ops()) {
                if (op.isRead()) throw new IllegalArgumentException(OpCodes.name(op.opcode()) + " in a multi");
            }
        }

        @Override
        public int opcode() {
            return OpCodes.MULTI;
        }
    }

    /** {@code checkWatches} (17): answered with a header alone. */
    record CheckWatches(int xid, CheckWatchesRequest body) implements ZkRequest {
        public CheckWatches {
            Objects.requireNonNull(body, "body");
        }

        @Override
        public int opcode() {
            return OpCodes.CHECK_WATCHES;
        }
    }

    /** {@code removeWatches} (18): answered with a header alone. */
    record RemoveWatches(int xid, RemoveWatchesRequest body) implements ZkRequest {
        public RemoveWatches {
            Objects.requireNonNull(body, "body");
        }

        @Override
        public int opcode() {
            return OpCodes.REMOVE_WATCHES;
        }
    }

    /** {@code multiRead} (22), getChildren and getData only: answered with {@link MultiResponse}. */
    record MultiRead(int xid, MultiRequest body) implements ZkRequest {
        public MultiRead {
            Objects.requireNonNull(body, "body");
            for (MultiOp op : body.ops()) {
                if (!op.isRead()) throw new IllegalArgumentException(OpCodes.name(op.opcode()) + " in a multiRead");
            }
        }

        @Override
        public int opcode() {
            return OpCodes.MULTI_READ;
        }
    }

    /** {@code auth} (100), sent with xid -4: answered with a header alone, xid -4. */
    record Auth(int xid, AuthPacket body) implements ZkRequest {
        public Auth {
            Objects.requireNonNull(body, "body");
        }

        @Override
        public int opcode() {
            return OpCodes.AUTH;
        }
    }

    /** {@code setWatches} (101): answered with a header alone (xid: see {@link Xids#SET_WATCHES}). */
    record SetWatches(int xid, SetWatchesRequest body) implements ZkRequest {
        public SetWatches {
            Objects.requireNonNull(body, "body");
        }

        @Override
        public int opcode() {
            return OpCodes.SET_WATCHES;
        }
    }

    /** {@code getEphemerals} (103): answered with {@link GetEphemeralsResponse}. */
    record GetEphemerals(int xid, GetEphemeralsRequest body) implements ZkRequest {
        public GetEphemerals {
            Objects.requireNonNull(body, "body");
        }

        @Override
        public int opcode() {
            return OpCodes.GET_EPHEMERALS;
        }
    }

    /** {@code getAllChildrenNumber} (104): answered with {@link GetAllChildrenNumberResponse}. */
    record GetAllChildrenNumber(int xid, GetAllChildrenNumberRequest body) implements ZkRequest {
        public GetAllChildrenNumber {
            Objects.requireNonNull(body, "body");
        }

        @Override
        public int opcode() {
            return OpCodes.GET_ALL_CHILDREN_NUMBER;
        }
    }

    /** {@code setWatches2} (105): answered with a header alone (xid: see {@link Xids#SET_WATCHES}). */
    record SetWatches2(int xid, SetWatches2Request body) implements ZkRequest {
        public SetWatches2 {
            Objects.requireNonNull(body, "body");
        }

        @Override
        public int opcode() {
            return OpCodes.SET_WATCHES2;
        }
    }

    /** {@code addWatch} (106): ZooKeeper answers with {@link ErrorResponse} 0. */
    record AddWatch(int xid, AddWatchRequest body) implements ZkRequest {
        public AddWatch {
            Objects.requireNonNull(body, "body");
        }

        @Override
        public int opcode() {
            return OpCodes.ADD_WATCH;
        }
    }

    /** {@code whoAmI} (107), no body: answered with {@link WhoAmIResponse}. */
    record WhoAmI(int xid) implements ZkRequest {
        @Override
        public int opcode() {
            return OpCodes.WHO_AM_I;
        }

        @Override
        public JuteRecord body() {
            return null;
        }
    }

    /** {@code closeSession} (-11), no body: answered with a header alone, then the server closes. */
    record CloseSession(int xid) implements ZkRequest {
        @Override
        public int opcode() {
            return OpCodes.CLOSE_SESSION;
        }

        @Override
        public JuteRecord body() {
            return null;
        }
    }
}
