package dev.corral.zk.wire;

/**
 * A znode's metadata as ZooKeeper sends it, in wire order. Mind the order when converting: {@code pzxid} comes
 * last here, after {@code numChildren}, while Corral's {@code tree.Stat} keeps it with the other zxids. Times are
 * milliseconds since the epoch as the leader stamped them.
 */
public record Stat(
        long czxid,
        long mzxid,
        long ctime,
        long mtime,
        int version,
        int cversion,
        int aversion,
        long ephemeralOwner,
        int dataLength,
        int numChildren,
        long pzxid) implements JuteRecord {
    /** Bytes of every encoded Stat: six longs and five ints. */
    public static final int BYTES = 68;

    public static Stat read(JuteReader in) {
        return new Stat(
                in.readLong("czxid"),
                in.readLong("mzxid"),
                in.readLong("ctime"),
                in.readLong("mtime"),
                in.readInt("version"),
                in.readInt("cversion"),
                in.readInt("aversion"),
                in.readLong("ephemeralOwner"),
                in.readInt("dataLength"),
                in.readInt("numChildren"),
                in.readLong("pzxid"));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeLong(czxid)
                .writeLong(mzxid)
                .writeLong(ctime)
                .writeLong(mtime)
                .writeInt(version)
                .writeInt(cversion)
                .writeInt(aversion)
                .writeLong(ephemeralOwner)
                .writeInt(dataLength)
                .writeInt(numChildren)
                .writeLong(pzxid);
    }
}
