package dev.corral.storage.jdbc;

import dev.corral.storage.ChunkingWriter;
import dev.corral.storage.SnapshotMeta;
import dev.corral.storage.SnapshotStore;
import dev.corral.storage.StorageException;
import dev.corral.txn.Checksums;
import dev.corral.txn.CorruptRecordException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Snapshots in the database: a metadata row in {@code corral_snapshot}, bytes in 1 MiB checksummed rows of
 * {@code corral_snapshot_chunk}, each chunk its own transaction so that a large snapshot never holds the
 * write lock long. The metadata row is flipped to complete in a last transaction: only then is the snapshot
 * visible. Reading streams one chunk at a time.
 */
final class JdbcSnapshotStore implements SnapshotStore {
    private static final int DELETE_CHUNKS_PER_TRANSACTION = 8;

    private final Transactions tx;
    private final int chunkBytes;

    /** Set on SQLite: chunks are written on a connection of their own, see {@link UnsyncedChunks}. */
    private final DataSource unsyncedChunks;

    JdbcSnapshotStore(Transactions tx, int chunkBytes, DataSource unsyncedChunks) {
        this.tx = tx;
        this.chunkBytes = chunkBytes;
        this.unsyncedChunks = unsyncedChunks;
    }

    @Override
    public synchronized Writer begin(long index, long term) {
        long id = tx.call("start a snapshot", s -> {
            // Chunks may outlive their row for a moment (see deleteSnapshot): never reuse their id.
            Long maxRow = s.createSelectionQuery("select max(id) from SnapshotRow", Long.class).getSingleResult();
            Long maxChunk = s.createSelectionQuery("select max(snapshotId) from SnapshotChunkRow", Long.class).getSingleResult();
            SnapshotRow row = new SnapshotRow();
            row.id = Math.max(maxRow == null ? 0 : maxRow, maxChunk == null ? 0 : maxChunk) + 1;
            row.lastIndex = index;
            row.lastTerm = term;
            row.complete = false;
            s.insert(row);
            return row.id;
        });
        UnsyncedChunks fast = unsyncedChunks == null ? null : new UnsyncedChunks(unsyncedChunks, tx);
        return new ChunkingWriter(chunkBytes) {
            @Override
            protected void storeChunk(int seq, byte[] data, int crc) {
                if (fast != null) {
                    fast.store(id, seq, data, crc);
                    return;
                }
                SnapshotChunkRow row = new SnapshotChunkRow();
                row.snapshotId = id;
                row.seq = seq;
                row.data = data;
                row.crc = crc;
                tx.run("store a snapshot chunk", s -> s.insert(row));
            }

            @Override
            protected SnapshotMeta finish(long size, int count) {
                if (fast != null) fast.close();
                tx.run("complete a snapshot", s -> s.createMutationQuery(
                                "update SnapshotRow set complete = true, sizeBytes = :size, chunks = :n where id = :id")
                        .setParameter("size", size)
                        .setParameter("n", count)
                        .setParameter("id", id)
                        .executeUpdate());
                return new SnapshotMeta(id, index, term, size, count);
            }

            @Override
            protected void discard() {
                if (fast != null) fast.close();
                deleteSnapshot(id);
            }
        };
    }

    @Override
    public Optional<SnapshotMeta> latest() {
        return list().stream().findFirst();
    }

    @Override
    public List<SnapshotMeta> list() {
        return tx.call("list snapshots", s -> {
            List<SnapshotMeta> out = new ArrayList<>();
            for (SnapshotRow r : s.createSelectionQuery("from SnapshotRow where complete = true order by lastIndex desc, id desc",
                    SnapshotRow.class).getResultList()) {
                out.add(new SnapshotMeta(r.id, r.lastIndex, r.lastTerm, r.sizeBytes, r.chunks));
            }
            return out;
        });
    }

    @Override
    public InputStream open(long snapshotId) {
        SnapshotRow meta = tx.call("open a snapshot", s -> s.get(SnapshotRow.class, snapshotId));
        if (meta == null || !meta.complete) throw new StorageException("no complete snapshot " + snapshotId);
        return new ChunkStream(snapshotId, meta.chunks);
    }

    /** Reads chunk after chunk, verifying each checksum, and that none is missing. */
    private final class ChunkStream extends InputStream {
        private final long id;
        private final int chunks;
        private int nextSeq;
        private byte[] current = new byte[0];
        private int pos;

        ChunkStream(long id, int chunks) {
            this.id = id;
            this.chunks = chunks;
        }

        private boolean fill() {
            while (pos >= current.length) {
                if (nextSeq >= chunks) return false;
                int seq = nextSeq++;
                SnapshotChunkRow row = tx.call("read a snapshot chunk", s -> s.createSelectionQuery(
                                "from SnapshotChunkRow where snapshotId = :id and seq = :seq", SnapshotChunkRow.class)
                        .setParameter("id", id)
                        .setParameter("seq", seq)
                        .getSingleResultOrNull());
                if (row == null) throw new CorruptRecordException("snapshot " + id + " is missing chunk " + seq);
                if (Checksums.crc32c(row.data) != row.crc) {
                    throw new CorruptRecordException("snapshot " + id + " chunk " + seq + " fails its checksum");
                }
                current = row.data;
                pos = 0;
            }
            return true;
        }

        @Override
        public int read() {
            return fill() ? current[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            if (!fill()) return -1;
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    @Override
    public synchronized void retain(int keep) {
        List<SnapshotMeta> complete = list();
        List<Long> doomed = tx.call("find old snapshots", s -> {
            List<Long> ids = new ArrayList<>(s.createSelectionQuery("select id from SnapshotRow where complete = false", Long.class)
                    .getResultList());
            // Chunks whose snapshot row is gone: a delete that a crash interrupted.
            ids.addAll(s.createSelectionQuery("select distinct c.snapshotId from SnapshotChunkRow c"
                    + " where not exists (select 1 from SnapshotRow r where r.id = c.snapshotId)", Long.class).getResultList());
            for (int i = keep; i < complete.size(); i++) ids.add(complete.get(i).id());
            return ids;
        });
        for (long id : doomed) deleteSnapshot(id);
    }

    /**
     * Deletes a snapshot a few chunks per transaction: one transaction for a 200 MB snapshot would hold
     * SQLite's write lock, and so every log append, for as long as it takes. The metadata row goes first, so
     * a crash part way leaves only orphan chunks, which {@link #retain} removes later.
     */
    private void deleteSnapshot(long id) {
        tx.run("delete a snapshot", s -> s.createMutationQuery("delete from SnapshotRow where id = :id").setParameter("id", id)
                .executeUpdate());
        while (true) {
            int deleted = tx.call("delete snapshot chunks", s -> {
                Integer max = s.createSelectionQuery("select max(seq) from SnapshotChunkRow where snapshotId = :id", Integer.class)
                        .setParameter("id", id).getSingleResult();
                if (max == null) return 0;
                return s.createMutationQuery("delete from SnapshotChunkRow where snapshotId = :id and seq > :from")
                        .setParameter("id", id).setParameter("from", max - DELETE_CHUNKS_PER_TRANSACTION).executeUpdate();
            });
            if (deleted == 0) return;
        }
    }

    @Override
    public void close() {}

    /**
     * SQLite only: stores snapshot chunks in transactions that do not fsync ({@code synchronous=NORMAL} on a
     * connection of their own). Nothing is lost by it: the snapshot becomes visible only with the completing
     * transaction, which runs with {@code synchronous=FULL} and whose fsync of the write-ahead log makes every
     * chunk before it durable too. Meanwhile each chunk holds the database's write lock only for as long as it
     * takes to copy it into the log, so log appends waiting behind it wait less.
     */
    private static final class UnsyncedChunks implements AutoCloseable {
        private final Transactions tx;
        private Connection connection;

        UnsyncedChunks(DataSource dataSource, Transactions tx) {
            this.tx = tx;
            try {
                connection = dataSource.getConnection();
                try (Statement s = connection.createStatement()) {
                    s.execute("PRAGMA synchronous=NORMAL");
                }
            } catch (SQLException e) {
                close();
                throw new StorageException("cannot open a connection for snapshot chunks: " + e.getMessage(), e);
            }
        }

        void store(long id, int seq, byte[] data, int crc) {
            tx.underGate(() -> {
                storeUngated(id, seq, data, crc);
                return null;
            });
        }

        private void storeUngated(long id, int seq, byte[] data, int crc) {
            try {
                connection.setAutoCommit(false);
                try (PreparedStatement ps = connection.prepareStatement(
                        "INSERT INTO corral_snapshot_chunk (snapshot_id, seq, data, crc) VALUES (?, ?, ?, ?)")) {
                    ps.setLong(1, id);
                    ps.setInt(2, seq);
                    ps.setBytes(3, data);
                    ps.setInt(4, crc);
                    ps.executeUpdate();
                }
                connection.commit();
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                try {
                    connection.rollback();
                    connection.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // Reported below; the snapshot is abandoned.
                }
                throw new StorageException("database failed to store a snapshot chunk: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            if (connection == null) return;
            try (Statement s = connection.createStatement()) {
                // The connection goes back to the pool: it must not keep the weaker setting.
                s.execute("PRAGMA synchronous=FULL");
            } catch (SQLException e) {
                // Closing below discards nothing pending; the pool validates connections it hands out.
            }
            try {
                connection.close();
            } catch (SQLException e) {
                // Nothing pending on it.
            }
            connection = null;
        }
    }
}
