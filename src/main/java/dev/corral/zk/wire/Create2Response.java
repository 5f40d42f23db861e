package dev.corral.zk.wire;

import java.util.Objects;

/**
 * The answer to {@code create2} (15), {@code createTTL} (21) and {@code createContainer} (19): the path created
 * and its stat.
 */
public record Create2Response(String path, Stat stat) implements ResponseBody {
    public Create2Response {
        Objects.requireNonNull(stat, "stat");
    }

    public static Create2Response read(JuteReader in) {
        return new Create2Response(in.readString("path"), Stat.read(in));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeString(path).writeRecord(stat);
    }
}
