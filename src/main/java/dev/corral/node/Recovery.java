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
 * Rebuilds a node's durable state: at start-up ({@link #recover}) the newest intact snapshot, then the log
 * after it; after a storage outage ({@link #resume}) the tree the node had applied, then the durable log after
 * it. A torn log tail is cut off only where the store's writes can tear ({@link LogRecovery}); a corrupt
 * snapshot falls back to an older one if the log still covers the gap; corruption that cannot be worked
 * around stops the node with a clear message.
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
        LogRecovery.Result result = readLog(nodeId, log);
        long snapIndex = state.lastZxid();
        List<Entry> after = result.entries().stream().filter(e -> e.index() > snapIndex).toList();
        if (log.lastIndex() < snapIndex) {
            // The snapshot is ahead of the log (its tail was cut): restart the log right after the snapshot.
            log.compact(snapIndex, snapshotTerm);
        }
        return new Recovered(state, snapshotTerm, log.hardState(), after);
    }

    /**
     * The replica's inputs after storage was reopened: the tree the node had applied ({@code applied}, whose last
     * entry has {@code appliedTerm}) stands in for a snapshot, and the durable log after it follows. Entries
     * whose write failed may or may not be durable; whatever the reopened log holds is the truth. Everything
     * applied was durable before it was applied, so the log must still hold the applied entry with the same
     * term (or cover it by its base): if it does not, the storage lost acknowledged writes, and the node must
     * not go on as if it had not.
     */
    static Recovered resume(int nodeId, LogStore log, TreeState applied, long appliedTerm) {
        LogRecovery.Result result = readLog(nodeId, log);
        long index = applied.lastZxid();
        long durableTerm = durableTermAt(log, result.entries(), index);
        if (durableTerm != appliedTerm) {
            throw new IllegalStateException("node " + nodeId + " applied entry " + index + " of term " + appliedTerm
                    + ", but its reopened log " + (durableTerm < 0 ? "does not hold it (base " + log.base().index() + ", last "
                    + log.lastIndex() + ")" : "holds it with term " + durableTerm) + ": the storage lost acknowledged writes");
        }
        List<Entry> after = result.entries().stream().filter(e -> e.index() > index).toList();
        return new Recovered(applied, appliedTerm, log.hardState(), after);
    }

    /** Term of entry {@code index} in the recovered log, the base's term at the base, or -1 if the log does not hold it. */
    private static long durableTermAt(LogStore log, List<Entry> entries, long index) {
        if (index == log.base().index()) return log.base().term();
        if (entries.isEmpty() || index < entries.getFirst().index() || index > entries.getLast().index()) return -1;
        return entries.get((int) (index - entries.getFirst().index())).term();
    }

    private static LogRecovery.Result readLog(int nodeId, LogStore log) {
        LogRecovery.Result result = LogRecovery.recover(log);
        if (result.truncatedFrom() > 0) {
            LOG.warnf("node %d: cut %d torn record(s) from the log tail at index %d (a write that never completed)", nodeId,
                    result.damagedRecords(), result.truncatedFrom());
        }
        return result;
    }
}
