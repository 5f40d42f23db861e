package dev.corral.zk.wire;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The body of {@code multi} (14) and {@code multiRead} (22), ZooKeeper's {@code MultiOperationRecord}. There is
 * no count up front: each operation is a {@link MultiHeader} ({@code type} the opcode, {@code done} false,
 * {@code err} -1) followed by the operation's body, and the list ends with a header whose {@code done} is true
 * (written as type -1, err -1; like ZooKeeper, the reader looks only at {@code done}).
 *
 * <p>Because the end is only known when it arrives, the reader bounds the number of operations itself
 * ({@code opsMax}), besides the frame's own bound on bytes.
 */
public record MultiRequest(List<MultiOp> ops) implements JuteRecord {
    public MultiRequest {
        Objects.requireNonNull(ops, "ops");
    }

    /** Reads operations up to the terminating header; more than {@code opsMax} of them is refused. */
    public static MultiRequest read(JuteReader in, int opsMax) {
        List<MultiOp> ops = new ArrayList<>();
        while (true) {
            MultiHeader h = MultiHeader.read(in);
            if (h.done()) break;
            if (ops.size() >= opsMax) throw new ZkWireException("multi has more than " + opsMax + " operations");
            ops.add(readOp(h.type(), in, ops.size()));
        }
        return new MultiRequest(Collections.unmodifiableList(ops));
    }

    private static MultiOp readOp(int type, JuteReader in, int index) {
        return switch (type) {
            case OpCodes.CREATE, OpCodes.CREATE2, OpCodes.CREATE_CONTAINER ->
                    new MultiOp.Create(type, CreateRequest.read(in));
            case OpCodes.CREATE_TTL -> new MultiOp.CreateTtl(CreateTtlRequest.read(in));
            case OpCodes.DELETE -> new MultiOp.Delete(DeleteRequest.read(in));
            case OpCodes.SET_DATA -> new MultiOp.SetData(SetDataRequest.read(in));
            case OpCodes.CHECK -> new MultiOp.Check(CheckVersionRequest.read(in));
            case OpCodes.GET_CHILDREN -> new MultiOp.GetChildren(GetChildrenRequest.read(in));
            case OpCodes.GET_DATA -> new MultiOp.GetData(GetDataRequest.read(in));
            default -> throw new ZkWireException("operation " + index + " of a multi has type " + OpCodes.name(type)
                    + ", which a multi cannot hold");
        };
    }

    @Override
    public void write(JuteWriter out) {
        for (MultiOp op : ops) {
            new MultiHeader(op.opcode(), false, -1).write(out);
            op.request().write(out);
        }
        new MultiHeader(OpCodes.ERROR, true, -1).write(out);
    }
}
