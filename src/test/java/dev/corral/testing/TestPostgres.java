package dev.corral.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL the tests use: {@code CORRAL_TEST_PG_URL}, {@code …_USER}, {@code …_PASSWORD}, by default
 * the local server that {@code .ci/postgres-up.sh} prepares. Where none is reachable the PostgreSQL tests
 * are skipped, except with {@code CORRAL_TEST_PG_REQUIRED=1} (CI), where they run and fail.
 */
public final class TestPostgres {
    public static final String URL = env("CORRAL_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/corral_test");
    public static final String USER = env("CORRAL_TEST_PG_USER", "corral");
    public static final String PASSWORD = env("CORRAL_TEST_PG_PASSWORD", "corral");

    private TestPostgres() {}

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    public static boolean required() {
        return "1".equals(System.getenv("CORRAL_TEST_PG_REQUIRED"));
    }

    public static boolean reachable() {
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD)) {
            return c.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Drops everything in the test database's public schema, so that each test application starts empty. */
    public static void wipe() {
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA public CASCADE");
            s.execute("CREATE SCHEMA public");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reset the test database " + URL + ": " + e.getMessage(), e);
        }
    }
}
