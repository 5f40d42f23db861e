package dev.corral.storage.jdbc;

import dev.corral.storage.LogStore;
import dev.corral.storage.LogStoreContract;
import dev.corral.testing.StorageOnlyProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterEach;

/** The log contract on Sqlite. */
@QuarkusTest
@TestProfile(StorageOnlyProfile.class)
class SqliteLogStoreTest extends LogStoreContract {
    private final JdbcFixture db = new JdbcFixture();

    @Override
    protected LogStore store() {
        return db.fresh().log();
    }

    @Override
    protected LogStore reopen() {
        return db.reopen().log();
    }

    @Override
    protected void flipPayloadByte(long index) {
        db.flipPayloadByte(index);
    }

    @Override
    protected void deleteRecord(long index) {
        db.deleteRecord(index);
    }

    @AfterEach
    void close() {
        db.close();
    }
}
