package dev.corral.storage.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Moves SQLite's write-ahead log into the database file in the background.
 *
 * <p>By default SQLite checkpoints inside whichever commit pushes the WAL past 1,000 pages: that commit then
 * copies the WAL (hundreds of MB after a snapshot of a large tree) and fsyncs the database before it returns,
 * and when it is a log append, every client waiting on that group commit waits too. Corral's connections
 * turn automatic checkpoints off ({@code PRAGMA wal_autocheckpoint=0}, see application.properties) and this
 * thread runs PASSIVE checkpoints, which never take the write lock, twice a second on its own connection.
 * The WAL file is cut back to {@code journal_size_limit} after each complete checkpoint.
 */
final class SqliteCheckpointer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SqliteCheckpointer.class);
    private static final long INTERVAL_MS = 500;

    private final DataSource dataSource;
    private final Thread thread;
    private volatile boolean running = true;

    SqliteCheckpointer(DataSource dataSource) {
        this.dataSource = dataSource;
        this.thread = new Thread(this::run, "corral-sqlite-checkpointer");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        int failures = 0;
        while (running) {
            try {
                Thread.sleep(INTERVAL_MS);
            } catch (InterruptedException e) {
                return;
            }
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(PASSIVE)");
                failures = 0;
            } catch (SQLException e) {
                // A checkpoint that fails leaves the WAL longer, nothing worse; say so once in a while.
                if (failures++ % 100 == 0) LOG.warnf("SQLite WAL checkpoint failed: %s", e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
