package dev.corral.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scratch PostgreSQL database of the benchmarks: {@code CORRAL_BENCH_PG_URL}, {@code …_USER},
 * {@code …_PASSWORD}, by default the local {@code corral_bench} database that {@code .ci/postgres-up.sh}
 * creates. Everything in its {@code public} schema is dropped before and after use.
 */
record Postgres(String url, String user, String password) {
    static Postgres fromEnvironment() {
        return new Postgres(env("CORRAL_BENCH_PG_URL", "jdbc:postgresql://127.0.0.1:5432/corral_bench"), env("CORRAL_BENCH_PG_USER", "corral"),
                env("CORRAL_BENCH_PG_PASSWORD", "corral"));
    }

    /** Null if reachable, else why not. */
    String unreachableBecause() {
        try (Connection c = connect()) {
            return c.isValid(5) ? null : "connection not valid";
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    void wipe() {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA public CASCADE");
            s.execute("CREATE SCHEMA public");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot empty the benchmark database " + url + ": " + e.getMessage(), e);
        }
    }

    /** Server version and the settings that decide what a commit costs. */
    Map<String, String> facts() {
        Map<String, String> facts = new LinkedHashMap<>();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select version()")) {
                if (rs.next()) facts.put("version", rs.getString(1).replaceAll(" on .*", ""));
            }
            try (ResultSet rs = s.executeQuery("select name, setting from pg_settings where name in"
                    + " ('fsync','synchronous_commit','wal_sync_method','full_page_writes','shared_buffers','data_directory') order by name")) {
                while (rs.next()) facts.put(rs.getString(1), rs.getString(2));
            }
        } catch (SQLException e) {
            facts.put("error", e.getMessage());
        }
        return facts;
    }

    Map<String, String> nodeEnvironment() {
        return Map.of("CORRAL_STORAGE_JDBC_URL", url, "CORRAL_STORAGE_USERNAME", user, "CORRAL_STORAGE_PASSWORD", password);
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
