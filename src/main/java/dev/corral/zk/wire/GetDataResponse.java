package dev.corral.zk.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * The answer to {@code getData} (4).
 */
public record GetDataResponse(byte[] data, Stat stat) implements ResponseBody {
    public GetDataResponse {
        Objects.requireNonNull(stat, "stat");
    }

    public static GetDataResponse read(JuteReader in) {
        return new GetDataResponse(in.readBuffer("data"), Stat.read(in));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeBuffer(data).writeRecord(stat);
    }

    /** Compares buffers by content: a record holding an array would otherwise compare it by identity. */
    @Override
    public boolean equals(Object o) {
        return o instanceof GetDataResponse x && Arrays.equals(data, x.data) && Objects.equals(stat, x.stat);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(data), stat);
    }

    /** Shows the length of each buffer, never its bytes (it may be znode data). */
    @Override
    public String toString() {
        return "GetDataResponse["
                + "data=" + (data == null ? "null" : data.length + " bytes") + ", "
                + "stat=" + stat
                + "]";
    }
}
