package dev.corral.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/** A node whose log and snapshots live in the test PostgreSQL. */
public class PostgresNodeProfile implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PostgresTestDatabase.class));
    }
}
