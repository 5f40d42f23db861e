package dev.corral.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Derives the Quarkus datasource settings from Corral's two storage properties, so that users only ever
 * set {@code corral.data-dir} and, for PostgreSQL, {@code corral.storage.jdbc-url}: exactly one of the two
 * built-in datasources ({@code sqlite}, {@code pg}) and its persistence unit is activated.
 *
 * <p>Ordinal 260: above application.properties (250), below environment variables (300) and system
 * properties (400), so an operator can still override any derived value.
 */
public final class StorageConfigSource implements ConfigSourceFactory {
    /**
     * WAL journal, an fsync per commit, and a busy wait of up to 30 s for the write lock. Transactions begin
     * IMMEDIATE (taking the write lock at the start): the log writer and the snapshotter write concurrently on
     * their own connections, and a deferred transaction that reads before it writes (starting a snapshot, a
     * compaction) cannot upgrade its read snapshot once the other has committed; SQLite then fails it at once
     * with SQLITE_BUSY, without waiting. With IMMEDIATE the busy wait covers that case too.
     */
    static final String SQLITE_OPTIONS = "journal_mode=WAL&synchronous=FULL&busy_timeout=30000&transaction_mode=IMMEDIATE"
            + "&journal_size_limit=67108864";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        String jdbcUrl = value(context, "corral.storage.jdbc-url");
        String dataDir = value(context, "corral.data-dir");
        boolean postgres = jdbcUrl != null && !jdbcUrl.isBlank();
        Map<String, String> props = new HashMap<>();
        props.put("quarkus.datasource.pg.active", Boolean.toString(postgres));
        props.put("quarkus.hibernate-orm.pg.active", Boolean.toString(postgres));
        props.put("quarkus.datasource.sqlite.active", Boolean.toString(!postgres));
        props.put("quarkus.hibernate-orm.sqlite.active", Boolean.toString(!postgres));
        if (postgres) {
            props.put("quarkus.datasource.pg.jdbc.url", jdbcUrl.trim());
            String user = value(context, "corral.storage.username");
            String password = value(context, "corral.storage.password");
            if (user != null) props.put("quarkus.datasource.pg.username", user);
            if (password != null) props.put("quarkus.datasource.pg.password", password);
        } else {
            props.put("quarkus.datasource.sqlite.jdbc.url", sqliteUrl(dataDir == null ? "./data" : dataDir));
        }
        return List.of(new MapBackedConfigSource("corral-storage", props, 260) {});
    }

    /** The embedded database's JDBC URL: an absolute path and {@link #SQLITE_OPTIONS}. */
    public static String sqliteUrl(String dataDir) {
        Path file = Path.of(dataDir).toAbsolutePath().normalize().resolve("corral.db");
        return "jdbc:sqlite:" + file + "?" + SQLITE_OPTIONS;
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue v = context.getValue(name);
        return v == null ? null : v.getValue();
    }
}
