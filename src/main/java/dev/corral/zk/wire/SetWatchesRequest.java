package dev.corral.zk.wire;

import java.util.List;

/**
 * ZooKeeper's {@code SetWatches}: the body of {@code setWatches} (101), sent first thing after a reconnect (with
 * an ordinary xid, see {@link Xids#SET_WATCHES}). It lists the one-shot watches the client still holds, to be
 * judged against {@code relativeZxid}, the last zxid it saw. Clients split a long list over several such requests
 * to stay under the frame limit.
 */
public record SetWatchesRequest(
        long relativeZxid,
        List<String> dataWatches,
        List<String> existWatches,
        List<String> childWatches) implements JuteRecord {
    public static SetWatchesRequest read(JuteReader in) {
        return new SetWatchesRequest(
                in.readLong("relativeZxid"),
                in.readStringVector("dataWatches"),
                in.readStringVector("existWatches"),
                in.readStringVector("childWatches"));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeLong(relativeZxid)
                .writeStringVector(dataWatches)
                .writeStringVector(existWatches)
                .writeStringVector(childWatches);
    }
}
