package dev.corral.zk.wire;

import java.util.List;

/**
 * The body of {@code setACL} (7); {@code version} is the expected {@code aversion}, -1 for any.
 */
public record SetAclRequest(String path, List<Acl> acl, int version) implements JuteRecord {
    public static SetAclRequest read(JuteReader in) {
        return new SetAclRequest(
                in.readString("path"),
                in.readVector("acl", Acl.BYTES_MIN, Acl::read),
                in.readInt("version"));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeString(path).writeRecords(acl).writeInt(version);
    }
}
