package dev.corral.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points a Quarkus test application at the test PostgreSQL, emptied first. */
public class PostgresTestDatabase implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        TestPostgres.wipe();
        return Map.of("corral.storage.jdbc-url", TestPostgres.URL, "corral.storage.username", TestPostgres.USER,
                "corral.storage.password", TestPostgres.PASSWORD, "quarkus.datasource.pg.active", "true",
                "quarkus.datasource.sqlite.active", "false", "quarkus.hibernate-orm.pg.active", "true",
                "quarkus.hibernate-orm.sqlite.active", "false", "quarkus.datasource.pg.jdbc.url", TestPostgres.URL,
                "quarkus.datasource.pg.username", TestPostgres.USER, "quarkus.datasource.pg.password", TestPostgres.PASSWORD);
    }

    @Override
    public void stop() {}
}
