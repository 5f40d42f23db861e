package dev.corral.zk.wire;

/**
 * One operation of a {@code multi} (14) or {@code multiRead} (22) request: its opcode, from its
 * {@link MultiHeader}, and its body, the same record the operation has on its own. A multi holds only write
 * operations and a multiRead only reads ({@link #isRead()}); ZooKeeper's client never mixes them.
 */
public sealed interface MultiOp {
    int opcode();

    JuteRecord request();

    /** True for the operations of a multiRead: getChildren and getData. */
    default boolean isRead() {
        return false;
    }

    /** {@code create} (1), {@code create2} (15) or {@code createContainer} (19): they share one body. */
    record Create(int opcode, CreateRequest request) implements MultiOp {
        public Create {
            if (opcode != OpCodes.CREATE && opcode != OpCodes.CREATE2 && opcode != OpCodes.CREATE_CONTAINER) {
                throw new IllegalArgumentException("not a create opcode: " + opcode);
            }
        }
    }

    record CreateTtl(CreateTtlRequest request) implements MultiOp {
        @Override
        public int opcode() {
            return OpCodes.CREATE_TTL;
        }
    }

    record Delete(DeleteRequest request) implements MultiOp {
        @Override
        public int opcode() {
            return OpCodes.DELETE;
        }
    }

    record SetData(SetDataRequest request) implements MultiOp {
        @Override
        public int opcode() {
            return OpCodes.SET_DATA;
        }
    }

    record Check(CheckVersionRequest request) implements MultiOp {
        @Override
        public int opcode() {
            return OpCodes.CHECK;
        }
    }

    /** In a multiRead; ZooKeeper's client sends {@code watch} false. */
    record GetChildren(GetChildrenRequest request) implements MultiOp {
        @Override
        public int opcode() {
            return OpCodes.GET_CHILDREN;
        }

        @Override
        public boolean isRead() {
            return true;
        }
    }

    /** In a multiRead; ZooKeeper's client sends {@code watch} false. */
    record GetData(GetDataRequest request) implements MultiOp {
        @Override
        public int opcode() {
            return OpCodes.GET_DATA;
        }

        @Override
        public boolean isRead() {
            return true;
        }
    }
}
