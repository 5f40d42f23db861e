package dev.corral.zk.wire;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The answer to {@code multi} (14) and {@code multiRead} (22), ZooKeeper's {@code MultiResponse}: for each result a
 * {@link MultiHeader} ({@code type} the result's opcode, {@code done} false, {@code err} the error code for an
 * {@link MultiResult.Error} and 0 otherwise), then the result's body if it has one; the list ends with the header
 * (-1, true, -1).
 */
public record MultiResponse(List<MultiResult> results) implements ResponseBody {
    public MultiResponse {
        Objects.requireNonNull(results, "results");
    }

    /** Reads results up to the terminating header; more than {@code resultsMax} of them is refused. */
    public static MultiResponse read(JuteReader in, int resultsMax) {
        List<MultiResult> results = new ArrayList<>();
        while (true) {
            MultiHeader h = MultiHeader.read(in);
            if (h.done()) break;
            if (results.size() >= resultsMax) {
                throw new ZkWireException("multi response has more than " + resultsMax + " results");
            }
            results.add(readResult(h.type(), in, results.size()));
        }
        return new MultiResponse(Collections.unmodifiableList(results));
    }

    private static MultiResult readResult(int type, JuteReader in, int index) {
        return switch (type) {
            case OpCodes.CREATE -> new MultiResult.Create(CreateResponse.read(in).path());
            case OpCodes.CREATE2 -> {
                Create2Response r = Create2Response.read(in);
                yield new MultiResult.Create2(r.path(), r.stat());
            }
            case OpCodes.DELETE -> new MultiResult.Delete();
            case OpCodes.SET_DATA -> new MultiResult.SetData(SetDataResponse.read(in).stat());
            case OpCodes.CHECK -> new MultiResult.Check();
            case OpCodes.GET_CHILDREN -> new MultiResult.GetChildren(GetChildrenResponse.read(in).children());
            case OpCodes.GET_DATA -> {
                GetDataResponse r = GetDataResponse.read(in);
                yield new MultiResult.GetData(r.data(), r.stat());
            }
            case OpCodes.ERROR -> new MultiResult.Error(ErrorResponse.read(in).err());
            default -> throw new ZkWireException("result " + index + " of a multi response has type "
                    + OpCodes.name(type) + ", which a multi response cannot hold");
        };
    }

    @Override
    public void write(JuteWriter out) {
        for (MultiResult r : results) {
            int err = r instanceof MultiResult.Error e ? e.err() : 0;
            new MultiHeader(r.type(), false, err).write(out);
            JuteRecord body = r.body();
            if (body != null) body.write(out);
        }
        new MultiHeader(OpCodes.ERROR, true, -1).write(out);
    }
}
