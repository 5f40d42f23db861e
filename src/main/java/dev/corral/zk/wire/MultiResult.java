package dev.corral.zk.wire;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One result of a {@link MultiResponse}, ZooKeeper's {@code OpResult}; {@link #type()} is the opcode written in
 * its {@link MultiHeader}. A created znode is reported as {@code create} (1) for a plain create and as
 * {@code create2} (15), with its stat, for create2, createTTL and createContainer. When a multi fails, every
 * operation gets an {@link Error}: the failing one its own code, those before it {@code OK} (0) and those after it
 * {@code RUNTIMEINCONSISTENCY} (-2); a multiRead reports failures per operation.
 */
public sealed interface MultiResult {
    int type();

    /** The body this result is followed by on the wire; null for those that have none (delete, check). */
    JuteRecord body();

    record Create(String path) implements MultiResult {
        @Override
        public int type() {
            return OpCodes.CREATE;
        }

        @Override
        public JuteRecord body() {
            return new CreateResponse(path);
        }
    }

    record Create2(String path, Stat stat) implements MultiResult {
        public Create2 {
            Objects.requireNonNull(stat, "stat");
        }

        @Override
        public int type() {
            return OpCodes.CREATE2;
        }

        @Override
        public JuteRecord body() {
            return new Create2Response(path, stat);
        }
    }

    record Delete() implements MultiResult {
        @Override
        public int type() {
            return OpCodes.DELETE;
        }

        @Override
        public JuteRecord body() {
            return null;
        }
    }

    record SetData(Stat stat) implements MultiResult {
        public SetData {
            Objects.requireNonNull(stat, "stat");
        }

        @Override
        public int type() {
            return OpCodes.SET_DATA;
        }

        @Override
        public JuteRecord body() {
            return new SetDataResponse(stat);
        }
    }

    record Check() implements MultiResult {
        @Override
        public int type() {
            return OpCodes.CHECK;
        }

        @Override
        public JuteRecord body() {
            return null;
        }
    }

    record GetChildren(List<String> children) implements MultiResult {
        @Override
        public int type() {
            return OpCodes.GET_CHILDREN;
        }

        @Override
        public JuteRecord body() {
            return new GetChildrenResponse(children);
        }
    }

    record GetData(byte[] data, Stat stat) implements MultiResult {
        public GetData {
            Objects.requireNonNull(stat, "stat");
        }

        @Override
        public int type() {
            return OpCodes.GET_DATA;
        }

        @Override
        public JuteRecord body() {
            return new GetDataResponse(data, stat);
        }

        /** Compares data by content: a record holding an array would otherwise compare it by identity. */
        @Override
        public boolean equals(Object o) {
            return o instanceof GetData x && Arrays.equals(data, x.data) && stat.equals(x.stat);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(data) + stat.hashCode();
        }

        @Override
        public String toString() {
            return "GetData[data=" + (data == null ? "null" : data.length + " bytes") + ", stat=" + stat + "]";
        }
    }

    /** A failed or skipped operation; its header carries {@code err} too, and the body is {@link ErrorResponse}. */
    record Error(int err) implements MultiResult {
        @Override
        public int type() {
            return OpCodes.ERROR;
        }

        @Override
        public JuteRecord body() {
            return new ErrorResponse(err);
        }
    }
}
