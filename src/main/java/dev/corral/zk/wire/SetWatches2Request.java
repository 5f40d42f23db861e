package dev.corral.zk.wire;

import java.util.List;

/**
 * ZooKeeper's {@code SetWatches2}: the body of {@code setWatches2} (105), which 3.6+ clients send instead of
 * {@link SetWatchesRequest} when they hold persistent watches: the same lists plus the persistent and persistent
 * recursive ones.
 */
public record SetWatches2Request(
        long relativeZxid,
        List<String> dataWatches,
        List<String> existWatches,
        List<String> childWatches,
        List<String> persistentWatches,
        List<String> persistentRecursiveWatches) implements JuteRecord {
    public static SetWatches2Request read(JuteReader in) {
        return new SetWatches2Request(
                in.readLong("relativeZxid"),
                in.readStringVector("dataWatches"),
                in.readStringVector("existWatches"),
                in.readStringVector("childWatches"),
                in.readStringVector("persistentWatches"),
                in.readStringVector("persistentRecursiveWatches"));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeLong(relativeZxid)
                .writeStringVector(dataWatches)
                .writeStringVector(existWatches)
                .writeStringVector(childWatches)
                .writeStringVector(persistentWatches)
                .writeStringVector(persistentRecursiveWatches);
    }
}
