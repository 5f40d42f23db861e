package dev.corral.zk.wire;

/**
 * A bare error code as a body: the answer to {@code addWatch} (106), where ZooKeeper sends 0, and, inside a multi
 * response, the body of a failed or skipped operation ({@link MultiResult.Error}).
 */
public record ErrorResponse(int err) implements ResponseBody {
    public static ErrorResponse read(JuteReader in) {
        return new ErrorResponse(in.readInt("err"));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeInt(err);
    }
}
