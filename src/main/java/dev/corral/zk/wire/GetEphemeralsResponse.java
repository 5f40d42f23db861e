package dev.corral.zk.wire;

import java.util.List;

/**
 * The answer to {@code getEphemerals} (103): full paths of the session's ephemeral znodes.
 */
public record GetEphemeralsResponse(List<String> ephemerals) implements ResponseBody {
    public static GetEphemeralsResponse read(JuteReader in) {
        return new GetEphemeralsResponse(in.readStringVector("ephemerals"));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeStringVector(ephemerals);
    }
}
