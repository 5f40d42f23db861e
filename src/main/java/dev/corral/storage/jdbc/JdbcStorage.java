package dev.corral.storage.jdbc;

import dev.corral.storage.LogStore;
import dev.corral.storage.NodeStorage;
import dev.corral.storage.SnapshotStore;
import dev.corral.storage.StorageException;
import dev.corral.storage.StorageRefusedException;
import jakarta.transaction.TransactionManager;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.hibernate.SessionFactory;

/**
 * Opens the node's database: takes exclusive ownership, migrates the schema, checks that the database
 * belongs to this node, and hands out the {@link LogStore} and {@link SnapshotStore}.
 *
 * <p>Ownership: on SQLite an OS file lock on {@code corral.lock} in the data directory; on PostgreSQL a
 * session-level advisory lock held on a dedicated connection for the node's lifetime. A second node on the
 * same data directory or database is refused with a message saying so. A database written by a newer
 * schema than this build knows is refused too, before anything is changed. Those refusals are
 * {@link StorageRefusedException}s; every other failure to open is a {@link StorageException} that may pass.
 *
 * <p>After a storage failure the node closes this object and opens a new one: on PostgreSQL the lock
 * connection may have died with the server, and with it the advisory lock, so ownership is taken again.
 */
public final class JdbcStorage implements NodeStorage {
    /** The supported databases. */
    public enum Kind {
        SQLITE,
        POSTGRESQL
    }

    private static final long ADVISORY_LOCK_KEY = 0x436f7272616cL; // "Corral"

    private final Kind kind;
    private final FileChannel lockChannel;
    private final Connection lockConnection;
    private final JdbcLogStore log;
    private final JdbcSnapshotStore snapshots;
    private final SqliteCheckpointer checkpointer;

    /** {@code lockChannel} holds the data directory's file lock (SQLite); closing it releases the lock. */
    private JdbcStorage(Kind kind, FileChannel lockChannel, Connection lockConnection, Transactions tx, DataSource dataSource) {
        this.kind = kind;
        this.lockChannel = lockChannel;
        this.lockConnection = lockConnection;
        this.log = new JdbcLogStore(tx, dataSource);
        this.snapshots = new JdbcSnapshotStore(tx, SnapshotStore.CHUNK_BYTES, kind == Kind.SQLITE ? dataSource : null);
        this.checkpointer = kind == Kind.SQLITE ? new SqliteCheckpointer(dataSource) : null;
    }

    /**
     * Opens storage for node {@code nodeId}. {@code dataDir} is where SQLite keeps its file and lock (unused
     * for PostgreSQL). {@code location} names the database in messages.
     */
    public static JdbcStorage open(Kind kind, String location, Path dataDir, DataSource dataSource, SessionFactory sessions,
            TransactionManager tm, Flyway flyway, int nodeId, long nowMs) {
        FileChannel channel = null;
        FileLock lock = null;
        Connection lockConnection = null;
        try {
            if (kind == Kind.SQLITE) {
                channel = FileChannel.open(dataDir.resolve("corral.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                lock = channel.tryLock();
                if (lock == null) {
                    throw new StorageRefusedException("data directory " + dataDir + " is in use by another Corral node (it holds "
                            + dataDir.resolve("corral.lock") + "); each node needs its own data directory");
                }
            } else {
                lockConnection = dataSource.getConnection();
                if (!tryAdvisoryLock(lockConnection)) {
                    throw new StorageRefusedException("database " + location + " is in use by another Corral node; each node needs its own database");
                }
            }
            try {
                migrate(flyway, location);
            } catch (FlywayException e) {
                // Not a refusal: the database could not be read (an outage), which the caller may retry.
                throw new StorageException("cannot read or migrate the schema of " + location + ": " + e.getMessage(), e);
            }
            Transactions tx = new Transactions(sessions, tm, kind == Kind.SQLITE);
            claimOwnership(tx, nodeId, nowMs, location);
            return new JdbcStorage(kind, channel, lockConnection, tx, dataSource);
        } catch (IOException e) {
            release(channel, lockConnection);
            throw new StorageException("cannot open storage at " + location + ": " + describe(e), e);
        } catch (SQLException e) {
            release(channel, lockConnection);
            throw new StorageException("cannot open storage at " + location + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            release(channel, lockConnection);
            throw e;
        }
    }

    private static boolean tryAdvisoryLock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_lock(?)")) {
            ps.setLong(1, ADVISORY_LOCK_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /**
     * Brings the schema up to date in one Flyway command (each command logs its own lines; an {@code info}
     * before {@code migrate} logged them all twice). Flyway by default ignores applied migrations it does not
     * know ({@code *:future}); here nothing is ignored, so a schema written by a newer Corral fails the
     * validation that {@code migrate} runs before it changes anything, and is then refused by name.
     */
    private static void migrate(Flyway configured, String location) {
        Flyway strict = Flyway.configure(configured.getConfiguration().getClassLoader())
                .configuration(configured.getConfiguration()).ignoreMigrationPatterns(new String[0]).load();
        try {
            strict.migrate();
        } catch (FlywayValidateException e) {
            refuseNewerSchema(configured, location);
            throw new StorageException("database " + location + " does not match this build's schema: "
                    + e.getMessage().replaceAll("\\s*\\n\\s*", " "), e);
        }
    }

    /** Refuses, naming both versions, a database whose schema history has versions this build does not know. */
    private static void refuseNewerSchema(Flyway flyway, String location) {
        MigrationInfo[] all = flyway.info().all();
        Optional<MigrationInfo> future = Arrays.stream(all)
                .filter(m -> m.getState() == MigrationState.FUTURE_SUCCESS || m.getState() == MigrationState.FUTURE_FAILED)
                .max(Comparator.comparing(MigrationInfo::getVersion));
        if (future.isPresent()) {
            String known = Arrays.stream(all).filter(m -> m.getState().isResolved())
                    .map(m -> m.getVersion().toString()).reduce((a, b) -> b).orElse("none");
            throw new StorageRefusedException("database " + location + " was written by a newer Corral (schema version "
                    + future.get().getVersion() + "; this build knows up to " + known + "); refusing to start");
        }
    }

    private static void claimOwnership(Transactions tx, int nodeId, long nowMs, String location) {
        tx.run("check which node owns the database", s -> {
            NodeRow row = s.get(NodeRow.class, NodeRow.ID);
            if (row == null) {
                row = new NodeRow();
                row.nodeId = nodeId;
                row.createdMs = nowMs;
                s.insert(row);
            } else if (row.nodeId != nodeId) {
                throw new StorageRefusedException("database " + location + " belongs to node " + row.nodeId + ", but this is node "
                        + nodeId + "; each node needs its own database");
            }
        });
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public LogStore log() {
        return log;
    }

    @Override
    public SnapshotStore snapshots() {
        return snapshots;
    }

    /** Creates the data directory if needed; SQLite creates files but not directories. */
    public static void ensureDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StorageException("cannot create data directory " + dir + ": " + describe(e), e);
        }
    }

    /** A file error in words: a FileSystemException's message is only the path, its reason ("Permission denied") is the news. */
    private static String describe(IOException e) {
        if (!(e instanceof FileSystemException f)) return e.getMessage();
        String reason = f.getReason() != null ? f.getReason() : f.getClass().getSimpleName();
        return f.getFile() == null ? reason : reason + ": " + f.getFile();
    }

    private static void release(FileChannel channel, Connection connection) {
        try {
            if (channel != null) channel.close();
        } catch (IOException e) {
            // Closing the channel releases the lock; nothing more can be done.
        }
        try {
            if (connection != null) connection.close();
        } catch (SQLException e) {
            // The session ends with the connection, and the advisory lock with it.
        }
    }

    @Override
    public void close() {
        if (checkpointer != null) checkpointer.close();
        log.close();
        snapshots.close();
        if (lockConnection != null) unlock(lockConnection);
        release(lockChannel, lockConnection);
    }

    /**
     * Releases the advisory lock before the connection goes back to the pool: a pooled connection keeps its
     * session, and with it the lock, so a storage reopened after a failure would find its own lock taken.
     */
    private static void unlock(Connection c) {
        try (PreparedStatement ps = c.prepareStatement("select pg_advisory_unlock(?)")) {
            ps.setLong(1, ADVISORY_LOCK_KEY);
            ps.execute();
        } catch (SQLException e) {
            // A connection that fails here has lost its session, and the session's locks with it.
        }
    }
}
