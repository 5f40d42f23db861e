package dev.corral.storage.jdbc;

import dev.corral.storage.StorageException;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionManager;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.hibernate.SessionFactory;
import org.hibernate.StatelessSession;

/**
 * Runs work in its own database transaction through a stateless Hibernate session (no first-level cache,
 * JDBC batching for multi-row inserts). The commit is the durability point: SQLite in WAL mode with
 * {@code synchronous=FULL} and PostgreSQL with {@code synchronous_commit=on} fsync before it returns.
 *
 * <p>On SQLite every write transaction also passes the {@link #gate}, a fair lock shared with the log's
 * append path. SQLite has one write lock per database, and a writer that finds it taken backs off in
 * sleeps that grow to 100 ms; queueing in the process instead lets a log append wait for at most the one
 * transaction ahead of it (a snapshot chunk, say), never for a run of them.
 */
final class Transactions {
    private final SessionFactory sessions;
    private final TransactionManager tm;
    /** Serializes write transactions in this process; null where the database needs no help (PostgreSQL). */
    final ReentrantLock gate;

    Transactions(SessionFactory sessions, TransactionManager tm, boolean gated) {
        this.sessions = sessions;
        this.tm = tm;
        this.gate = gated ? new ReentrantLock(true) : null;
    }

    <T> T call(String what, Function<StatelessSession, T> work) {
        return underGate(() -> callUngated(what, work));
    }

    /** Runs a write that bypasses Hibernate (the log's appends, SQLite snapshot chunks) through the same gate. */
    <T> T underGate(Supplier<T> write) {
        if (gate != null) gate.lock();
        try {
            return write.get();
        } finally {
            if (gate != null) gate.unlock();
        }
    }

    private <T> T callUngated(String what, Function<StatelessSession, T> work) {
        try {
            tm.begin();
        } catch (Exception e) {
            throw new StorageException("could not begin a transaction to " + what, e);
        }
        boolean committed = false;
        try {
            T result;
            try (StatelessSession session = sessions.openStatelessSession()) {
                result = work.apply(session);
            }
            tm.commit();
            committed = true;
            return result;
        } catch (StorageException e) {
            throw e;
        } catch (Exception e) {
            throw new StorageException("database failed to " + what + ": " + e.getMessage(), e);
        } finally {
            if (!committed) rollbackQuietly();
        }
    }

    void run(String what, Consumer<StatelessSession> work) {
        call(what, session -> {
            work.accept(session);
            return null;
        });
    }

    private void rollbackQuietly() {
        try {
            if (tm.getStatus() != Status.STATUS_NO_TRANSACTION) tm.rollback();
        } catch (Exception e) {
            // The transaction is already broken; the original failure is what the caller reports.
        }
    }
}
