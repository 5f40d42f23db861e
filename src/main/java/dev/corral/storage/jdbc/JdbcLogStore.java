package dev.corral.storage.jdbc;

import dev.corral.consensus.Entry;
import dev.corral.consensus.HardState;
import dev.corral.storage.LogBase;
import dev.corral.storage.LogStore;
import dev.corral.storage.StoredEntry;
import dev.corral.txn.Checksums;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.StatelessSession;

/**
 * The log and hard state in a relational database (SQLite or PostgreSQL), through Hibernate.
 *
 * <p>Each {@link #write} is one transaction: the suffix it replaces is deleted, the entries are inserted
 * in JDBC batches ({@code StatelessSession.insertMultiple}) and the hard state row is updated; the commit
 * makes all of it durable at once. Checksums are computed here, before the insert, and verified by
 * {@link dev.corral.storage.LogRecovery} after reading. One writer thread; reads may run concurrently.
 */
final class JdbcLogStore implements LogStore {
    private final Transactions tx;
    private volatile HardState hardState;
    private volatile LogBase base;
    private volatile long lastIndex;
    private volatile long sizeBytes;

    JdbcLogStore(Transactions tx) {
        this.tx = tx;
        tx.run("read the hard state", s -> {
            HardStateRow row = s.get(HardStateRow.class, HardStateRow.ID);
            hardState = new HardState(row.term, row.votedFor, row.commitIndex);
            base = new LogBase(row.baseIndex, row.baseTerm);
            Object[] stats = (Object[]) s.createNativeQuery("select coalesce(max(idx), 0), coalesce(sum(length(payload)), 0) from corral_log", Object[].class)
                    .getSingleResult();
            lastIndex = Math.max(base.index(), ((Number) stats[0]).longValue());
            sizeBytes = ((Number) stats[1]).longValue();
        });
    }

    @Override
    public HardState hardState() {
        return hardState;
    }

    @Override
    public LogBase base() {
        return base;
    }

    @Override
    public long lastIndex() {
        return lastIndex;
    }

    @Override
    public void write(HardState hs, List<Entry> entries) {
        if (hs == null && entries.isEmpty()) return;
        long first = entries.isEmpty() ? 0 : entries.getFirst().index();
        if (!entries.isEmpty() && (first <= base.index() || first > lastIndex + 1)) {
            throw new IllegalArgumentException("write at " + first + " outside (" + base.index() + ", " + (lastIndex + 1) + "]");
        }
        List<LogRow> rows = new ArrayList<>(entries.size());
        long bytes = 0;
        for (Entry e : entries) {
            rows.add(new LogRow(e.index(), e.term(), e.data(), Checksums.entryCrc(e.index(), e.term(), e.data())));
            bytes += e.data().length;
        }
        long removedBytes = tx.call("append to the log", s -> {
            long removed = 0;
            if (!entries.isEmpty() && first <= lastIndex) removed = deleteFrom(s, first);
            if (!rows.isEmpty()) s.insertMultiple(rows);
            if (hs != null) updateHardState(s, hs);
            return removed;
        });
        if (hs != null) hardState = hs;
        if (!entries.isEmpty()) {
            lastIndex = entries.getLast().index();
            sizeBytes += bytes - removedBytes;
        }
    }

    private void updateHardState(StatelessSession s, HardState hs) {
        s.createMutationQuery("update HardStateRow set term = :t, votedFor = :v, commitIndex = :c where id = :id")
                .setParameter("t", hs.term())
                .setParameter("v", hs.votedFor())
                .setParameter("c", hs.commit())
                .setParameter("id", HardStateRow.ID)
                .executeUpdate();
    }

    private static long deleteFrom(StatelessSession s, long fromIndex) {
        Long bytes = s.createNativeQuery("select coalesce(sum(length(payload)), 0) from corral_log where idx >= :i", Long.class)
                .setParameter("i", fromIndex)
                .getSingleResult();
        s.createMutationQuery("delete from LogRow where index >= :i").setParameter("i", fromIndex).executeUpdate();
        return bytes.longValue();
    }

    @Override
    public List<StoredEntry> readRaw(long from, long to, int maxCount) {
        return tx.call("read the log", s -> {
            List<LogRow> rows = s.createSelectionQuery("from LogRow where index >= :a and index <= :b order by index", LogRow.class)
                    .setParameter("a", from)
                    .setParameter("b", to)
                    .setMaxResults(maxCount)
                    .getResultList();
            List<StoredEntry> out = new ArrayList<>(rows.size());
            for (LogRow r : rows) out.add(new StoredEntry(r.index, r.term, r.payload, r.crc));
            return out;
        });
    }

    @Override
    public void truncateSuffix(long fromIndex) {
        if (fromIndex > lastIndex) return;
        long removed = tx.call("truncate the log", s -> deleteFrom(s, fromIndex));
        lastIndex = Math.max(base.index(), fromIndex - 1);
        sizeBytes -= removed;
    }

    @Override
    public void compact(long index, long term) {
        if (index <= base.index()) return;
        long removed = tx.call("compact the log", s -> {
            Long bytes = s.createNativeQuery("select coalesce(sum(length(payload)), 0) from corral_log where idx <= :i", Long.class)
                    .setParameter("i", index)
                    .getSingleResult();
            s.createMutationQuery("delete from LogRow where index <= :i").setParameter("i", index).executeUpdate();
            s.createMutationQuery("update HardStateRow set baseIndex = :bi, baseTerm = :bt where id = :id")
                    .setParameter("bi", index)
                    .setParameter("bt", term)
                    .setParameter("id", HardStateRow.ID)
                    .executeUpdate();
            return bytes.longValue();
        });
        base = new LogBase(index, term);
        lastIndex = Math.max(lastIndex, index);
        sizeBytes -= removed;
    }

    @Override
    public long sizeBytes() {
        return sizeBytes;
    }

    @Override
    public void close() {}
}
