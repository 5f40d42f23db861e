package dev.corral.zk.wire;

import java.util.List;

/**
 * The answer to {@code getChildren} (8): the children's names, not their paths.
 */
public record GetChildrenResponse(List<String> children) implements ResponseBody {
    public static GetChildrenResponse read(JuteReader in) {
        return new GetChildrenResponse(in.readStringVector("children"));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeStringVector(children);
    }
}
