package dev.corral.zk.wire;

import java.util.Objects;

/**
 * The answer to {@code setData} (5), and also, in ZooKeeper, to a {@code check} (13) sent on its own.
 */
public record SetDataResponse(Stat stat) implements ResponseBody {
    public SetDataResponse {
        Objects.requireNonNull(stat, "stat");
    }

    public static SetDataResponse read(JuteReader in) {
        return new SetDataResponse(Stat.read(in));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeRecord(stat);
    }
}
