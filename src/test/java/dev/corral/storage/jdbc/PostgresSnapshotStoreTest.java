package dev.corral.storage.jdbc;

import dev.corral.storage.SnapshotStore;
import dev.corral.storage.SnapshotStoreContract;
import dev.corral.testing.EnabledWithPostgres;
import dev.corral.testing.PostgresStorageOnlyProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterEach;

/** The snapshot contract on Postgres. */
@QuarkusTest
@TestProfile(PostgresStorageOnlyProfile.class)
@EnabledWithPostgres
class PostgresSnapshotStoreTest extends SnapshotStoreContract {
    private final JdbcFixture db = new JdbcFixture();
    private SnapshotStore store;

    @Override
    protected SnapshotStore store() {
        if (store == null) store = db.fresh().snapshots();
        return store;
    }

    @Override
    protected SnapshotStore reopen() {
        store = db.reopen().snapshots();
        return store;
    }

    @AfterEach
    void close() {
        db.close();
    }
}
