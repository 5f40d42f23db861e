package dev.corral.zk.wire;

import java.util.Objects;

/**
 * The answer to {@code exists} (3) when the znode exists (otherwise the reply header carries {@code NONODE}).
 */
public record ExistsResponse(Stat stat) implements ResponseBody {
    public ExistsResponse {
        Objects.requireNonNull(stat, "stat");
    }

    public static ExistsResponse read(JuteReader in) {
        return new ExistsResponse(Stat.read(in));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeRecord(stat);
    }
}
