package dev.corral.zk.wire;

import java.util.Optional;

/**
 * Bytes from a ZooKeeper client that do not decode: a frame length out of range, a field cut short, a length or
 * count that cannot fit in what remains, an unknown operation. It is the only exception decoding throws, whatever
 * the input, so a server can catch exactly this and drop the connection (or answer, see {@link #header()}).
 *
 * <p>When the {@link RequestHeader} of a request was read before the failure, {@link #header()} carries it: the
 * frame boundaries are still sound, so a server may answer that request with an error instead of closing the
 * connection, as ZooKeeper answers {@code MARSHALLINGERROR} (-5) for a body it cannot parse and
 * {@code UNIMPLEMENTED} (-6, see {@link UnknownOpcodeException}) for an operation it does not know.
 */
public class ZkWireException extends RuntimeException {
    private final transient RequestHeader header;

    public ZkWireException(String message) {
        this(message, null);
    }

    public ZkWireException(String message, RequestHeader header) {
        super(message);
        this.header = header;
    }

    /** The header of the request whose body failed to decode, if the header itself was read. */
    public Optional<RequestHeader> header() {
        return Optional.ofNullable(header);
    }

    /** This failure, now attributed to the request with {@code header}. */
    ZkWireException withHeader(RequestHeader header) {
        ZkWireException e = new ZkWireException(getMessage() + " (" + OpCodes.name(header.type()) + " request, xid "
                + header.xid() + ")", header);
        e.setStackTrace(getStackTrace());
        return e;
    }
}
