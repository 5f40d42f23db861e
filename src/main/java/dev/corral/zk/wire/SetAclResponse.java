package dev.corral.zk.wire;

import java.util.Objects;

/**
 * The answer to {@code setACL} (7).
 */
public record SetAclResponse(Stat stat) implements ResponseBody {
    public SetAclResponse {
        Objects.requireNonNull(stat, "stat");
    }

    public static SetAclResponse read(JuteReader in) {
        return new SetAclResponse(Stat.read(in));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeRecord(stat);
    }
}
