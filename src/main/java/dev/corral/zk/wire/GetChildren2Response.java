package dev.corral.zk.wire;

import java.util.List;
import java.util.Objects;

/**
 * The answer to {@code getChildren2} (12): the children's names and the parent's stat.
 */
public record GetChildren2Response(List<String> children, Stat stat) implements ResponseBody {
    public GetChildren2Response {
        Objects.requireNonNull(stat, "stat");
    }

    public static GetChildren2Response read(JuteReader in) {
        return new GetChildren2Response(in.readStringVector("children"), Stat.read(in));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeStringVector(children).writeRecord(stat);
    }
}
