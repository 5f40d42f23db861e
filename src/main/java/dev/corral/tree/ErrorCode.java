package dev.corral.tree;

/** ZooKeeper's {@code KeeperException.Code}, under the names the REST API uses, with the wire values. */
public enum ErrorCode {
    OK(0),
    SYSTEM_ERROR(-1),
    RUNTIME_INCONSISTENCY(-2),
    DATA_INCONSISTENCY(-3),
    CONNECTION_LOSS(-4),
    MARSHALLING_ERROR(-5),
    UNIMPLEMENTED(-6),
    OPERATION_TIMEOUT(-7),
    BAD_ARGUMENTS(-8),
    UNKNOWN_SESSION(-12),
    API_ERROR(-100),
    NO_NODE(-101),
    NO_AUTH(-102),
    BAD_VERSION(-103),
    NO_CHILDREN_FOR_EPHEMERALS(-108),
    NODE_EXISTS(-110),
    NOT_EMPTY(-111),
    SESSION_EXPIRED(-112),
    INVALID_CALLBACK(-113),
    INVALID_ACL(-114),
    AUTH_FAILED(-115),
    SESSION_MOVED(-118),
    NOT_READONLY(-119),
    NO_WATCHER(-121),
    REQUEST_TIMEOUT(-122),
    QUOTA_EXCEEDED(-125),
    THROTTLED_OP(-127);

    public final int wireCode;

    ErrorCode(int wireCode) {
        this.wireCode = wireCode;
    }
}
