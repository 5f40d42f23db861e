package dev.corral.zk.wire;

/**
 * The header in front of each operation of a multi request and each result of a multi response, and the
 * terminator of both lists ({@code type} -1, {@code done} true, {@code err} -1). For a request {@code err} is
 * -1; for a result it is 0, or the error code when {@code type} is -1 ({@link MultiResult.Error}).
 */
public record MultiHeader(int type, boolean done, int err) implements JuteRecord {
    /** Fewest bytes an encoded MultiHeader takes: bounds the count of a vector of them. */
    public static final int BYTES = 9;

    public static MultiHeader read(JuteReader in) {
        return new MultiHeader(in.readInt("type"), in.readBool("done"), in.readInt("err"));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeInt(type).writeBool(done).writeInt(err);
    }
}
