package dev.corral.zk.wire;

import java.util.List;
import java.util.Objects;

/**
 * The answer to {@code getACL} (6).
 */
public record GetAclResponse(List<Acl> acl, Stat stat) implements ResponseBody {
    public GetAclResponse {
        Objects.requireNonNull(stat, "stat");
    }

    public static GetAclResponse read(JuteReader in) {
        return new GetAclResponse(in.readVector("acl", Acl.BYTES_MIN, Acl::read), Stat.read(in));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeRecords(acl).writeRecord(stat);
    }
}
