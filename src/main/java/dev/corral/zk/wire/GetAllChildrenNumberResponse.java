package dev.corral.zk.wire;

/**
 * The answer to {@code getAllChildrenNumber} (104).
 */
public record GetAllChildrenNumberResponse(int totalNumber) implements ResponseBody {
    public static GetAllChildrenNumberResponse read(JuteReader in) {
        return new GetAllChildrenNumberResponse(in.readInt("totalNumber"));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeInt(totalNumber);
    }
}
