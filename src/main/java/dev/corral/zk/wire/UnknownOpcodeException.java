package dev.corral.zk.wire;

/**
 * A well-framed request whose header names an operation this codec does not decode (for example {@code sasl}
 * (102) or {@code reconfig} (16)). ZooKeeper answers such a request with a reply header carrying
 * {@code UNIMPLEMENTED} (-6) and keeps the connection, which a server can do with {@link #xid()}.
 */
public final class UnknownOpcodeException extends ZkWireException {
    private final int xid;
    private final int opcode;

    UnknownOpcodeException(RequestHeader header) {
        super("unknown opcode " + header.type() + " (xid " + header.xid() + ")", header);
        this.xid = header.xid();
        this.opcode = header.type();
    }

    public int xid() {
        return xid;
    }

    public int opcode() {
        return opcode;
    }
}
