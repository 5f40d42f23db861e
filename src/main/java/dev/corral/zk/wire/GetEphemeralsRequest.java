package dev.corral.zk.wire;

/**
 * The body of {@code getEphemerals} (103): the session's ephemeral znodes whose path starts with
 * {@code prefixPath}.
 */
public record GetEphemeralsRequest(String prefixPath) implements JuteRecord {
    public static GetEphemeralsRequest read(JuteReader in) {
        return new GetEphemeralsRequest(in.readString("prefixPath"));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeString(prefixPath);
    }
}
