package dev.corral.node;

import dev.corral.consensus.Entry;
import dev.corral.consensus.HardState;
import dev.corral.storage.LogRecovery;
import dev.corral.storage.LogStore;
import dev.corral.storage.SnapshotMeta;
import dev.corral.storage.SnapshotStore;
import dev.corral.tree.AclTable;
import dev.corral.tree.SnapshotCodec;
import dev.corral.tree.TreeState;
import dev.corral.txn.CorruptRecordException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Rebuilds a node's durable state at start-up: the newest intact snapshot, then the log after it. A torn
 * log tail is cut off (it was never acknowledged); a corrupt snapshot falls back to an older one if the log
 * still covers the gap; corruption that cannot be worked around stops the node with a clear message.
 */
final class Recovery {
    private static final Logger LOG = Logger.getLogger(Recovery.class);

    record Recovered(TreeState state, long snapshotTerm, HardState hardState, List<Entry> entries) {}

    private Recovery() {}

    static Recovered recover(int nodeId, LogStore log, SnapshotStore snapshots, AclTable acls) {
        snapshots.retain(Integer.MAX_VALUE);
        TreeState state = null;
        long snapshotTerm = 0;
        for (SnapshotMeta meta : snapshots.list()) {
            if (meta.index() < log.base().index()) {
                LOG.warnf("node %d: snapshot %d at index %d is older than the log's base %d; skipped", nodeId, meta.id(),
                        meta.index(), log.base().index());
                continue;
            }
            try (InputStream in = snapshots.open(meta.id())) {
                TreeState loaded = SnapshotCodec.read(in, acls);
                if (loaded.lastZxid() != meta.index()) {
                    throw new CorruptRecordException("snapshot holds zxid " + loaded.lastZxid() + " but is recorded at " + meta.index());
                }
                state = loaded;
                snapshotTerm = meta.term();
                LOG.infof("node %d: loaded snapshot %d at zxid %d (%d znodes, %d sessions)", nodeId, meta.id(), meta.index(),
                        loaded.nodeCount(), loaded.sessionCount());
                break;
            } catch (CorruptRecordException | IOException e) {
                LOG.warnf("node %d: snapshot %d at index %d is damaged (%s); trying an older one", nodeId, meta.id(), meta.index(),
                        e.getMessage());
            }
        }
        if (state == null) {
            if (log.base().index() > 0) {
                throw new CorruptRecordException("the log starts after index " + log.base().index()
                        + " but no intact snapshot covers it; restore the data directory from a backup");
            }
            state = TreeState.initial();
        }
        LogRecovery.Result result = LogRecovery.recover(log);
        if (result.truncatedFrom() > 0) {
            LOG.warnf("node %d: cut %d damaged record(s) from the log tail at index %d (an unfinished write)", nodeId,
                    result.damagedRecords(), result.truncatedFrom());
        }
        long snapIndex = state.lastZxid();
        List<Entry> after = result.entries().stream().filter(e -> e.index() > snapIndex).toList();
        if (log.lastIndex() < snapIndex) {
            // The snapshot is ahead of the log (its tail was cut): restart the log right after the snapshot.
            log.compact(snapIndex, snapshotTerm);
        }
        return new Recovered(state, snapshotTerm, log.hardState(), after);
    }
}
