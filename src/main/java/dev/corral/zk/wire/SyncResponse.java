package dev.corral.zk.wire;

/**
 * The answer to {@code sync} (9): the request's path.
 */
public record SyncResponse(String path) implements ResponseBody {
    public static SyncResponse read(JuteReader in) {
        return new SyncResponse(in.readString("path"));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeString(path);
    }
}
