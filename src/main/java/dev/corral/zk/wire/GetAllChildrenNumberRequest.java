package dev.corral.zk.wire;

/**
 * The body of {@code getAllChildrenNumber} (104): how many znodes lie below {@code path}, at any depth.
 */
public record GetAllChildrenNumberRequest(String path) implements JuteRecord {
    public static GetAllChildrenNumberRequest read(JuteReader in) {
        return new GetAllChildrenNumberRequest(in.readString("path"));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeString(path);
    }
}
