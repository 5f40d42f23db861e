package dev.corral.storage.jdbc;

import dev.corral.storage.StorageException;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionManager;
import java.util.function.Consumer;
import java.util.function.Function;
import org.hibernate.SessionFactory;
import org.hibernate.StatelessSession;

/**
 * Runs work in its own database transaction through a stateless Hibernate session (no first-level cache,
 * JDBC batching for multi-row inserts). The commit is the durability point: SQLite in WAL mode with
 * {@code synchronous=FULL} and PostgreSQL with {@code synchronous_commit=on} fsync before it returns.
 */
final class Transactions {
    private final SessionFactory sessions;
    private final TransactionManager tm;

    Transactions(SessionFactory sessions, TransactionManager tm) {
        this.sessions = sessions;
        this.tm = tm;
    }

    <T> T call(String what, Function<StatelessSession, T> work) {
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
