package dev.corral.zk.wire;

/**
 * The answer to {@code create} (1): the path created (with its sequence suffix, if any).
 */
public record CreateResponse(String path) implements ResponseBody {
    public static CreateResponse read(JuteReader in) {
        return new CreateResponse(in.readString("path"));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeString(path);
    }
}
