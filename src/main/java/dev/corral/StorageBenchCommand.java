package dev.corral;

import dev.corral.config.CorralConfig;
import dev.corral.node.LogAppendBenchmark;
import dev.corral.node.NodeLifecycle;
import dev.corral.storage.StorageException;
import dev.corral.storage.jdbc.JdbcStorage;
import io.quarkus.runtime.QuarkusApplication;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code bench-storage}: how fast can this machine's storage make Corral's log durable? A disk check for
 * operators (in the spirit of etcd's {@code check perf}) and the storage part of the benchmarks.
 *
 * <p>It opens the storage the node would open, from the same configuration ({@code corral.data-dir} for the
 * embedded SQLite database, or {@code corral.storage.jdbc-url} with username and password for PostgreSQL),
 * through {@link NodeLifecycle#openStorage()}: same lock, same migrations, same {@code JdbcLogStore}. It then
 * appends batches of entries for a few seconds per batch size with {@link LogAppendBenchmark} and prints
 * commits per second, entries per second and commit latencies.
 *
 * <p>Safety: it never writes into a real node's log. It refuses (exit code 2) unless the log is empty and
 * no node has ever used the storage (no term, vote, commit, base or snapshot), and a running node's lock
 * refuses it too. When done, or when it fails, it deletes every entry it wrote and restores the empty hard
 * state; what remains is an empty schema that names node {@code corral.node-id} as its owner, so point it at
 * a scratch directory or database and delete that afterwards. The node does not start in this mode, and no
 * HTTP port is opened ({@link CorralCommands} arranges both).
 *
 * <p>Exit codes: 0 done, 2 refused or bad options, 1 storage failure.
 */
@Singleton
public class StorageBenchCommand implements QuarkusApplication {
    static final String NAME = "bench-storage";
    static final String USAGE = """
            bench-storage options (all optional):
              --seconds=S        measured seconds per batch size (default 5)
              --batches=1,64,512 entries per commit, measured in turn (default 1,64,512)
              --entry-bytes=N    payload bytes per entry (default 100)
              --max-entries=N    stop a batch size early after N entries (default 2000000)
            Example, on a scratch directory:
              CORRAL_DATA_DIR=/mnt/disk/corral-check java --enable-native-access=ALL-UNNAMED \\
                -jar quarkus-run.jar bench-storage --seconds=10
            and on a scratch PostgreSQL database:
              CORRAL_STORAGE_JDBC_URL=jdbc:postgresql://db:5432/scratch CORRAL_STORAGE_USERNAME=u \\
                CORRAL_STORAGE_PASSWORD=p java -jar quarkus-run.jar bench-storage
            """;

    @Inject
    NodeLifecycle lifecycle;

    @Inject
    CorralConfig config;

    @Override
    public int run(String... args) {
        LogAppendBenchmark.Settings settings;
        try {
            settings = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(NAME + ": " + e.getMessage());
            System.err.print(USAGE);
            return 2;
        }
        if (config.autostart()) {
            System.err.println(NAME + ": refusing to run while corral.autostart=true: the node would own the storage");
            return 2;
        }
        String where = location();
        JdbcStorage storage;
        try {
            storage = lifecycle.openStorage();
        } catch (StorageException e) {
            System.err.println(NAME + ": cannot open " + where + ": " + e.getMessage());
            return 1;
        }
        try {
            Optional<String> refusal = LogAppendBenchmark.refusal(storage.log(), storage.snapshots());
            if (refusal.isPresent()) {
                System.err.println(NAME + ": refusing to run on " + where + ": " + refusal.get() + ". It writes into the log and"
                        + " must never touch a real node's data: point corral.data-dir (CORRAL_DATA_DIR) or corral.storage.jdbc-url"
                        + " (CORRAL_STORAGE_JDBC_URL) at a scratch location.");
                return 2;
            }
            printHeader(where, settings);
            new LogAppendBenchmark(storage.log(), System::nanoTime).run(settings, StorageBenchCommand::printResult);
            System.out.println("Removed every entry written; the log is empty again.");
            return 0;
        } catch (StorageException e) {
            System.err.println(NAME + ": storage failed on " + where + ": " + e.getMessage());
            return 1;
        } finally {
            storage.close();
        }
    }

    private String location() {
        Optional<String> url = config.storage().jdbcUrl().filter(u -> !u.isBlank());
        if (url.isPresent()) return "PostgreSQL " + url.get();
        return "SQLite " + Path.of(config.dataDir()).toAbsolutePath().normalize().resolve("corral.db");
    }

    private static void printHeader(String where, LogAppendBenchmark.Settings s) {
        System.out.printf(Locale.ROOT, "Corral %s: durable log appends through JdbcLogStore on %s%n", NAME, where);
        System.out.printf(Locale.ROOT, "%d-byte entries; each commit writes one batch and the hard state in one transaction, as the"
                + " node's log writer does; %.1f s per batch size after %s%n", s.entryBytes(), s.durationNanos() / 1e9, "a short warm-up");
        System.out.printf(Locale.ROOT, "%7s %11s %11s %8s %10s %10s %10s %9s%n", "batch", "commits/s", "entries/s", "MiB/s",
                "p50 ms", "p99 ms", "max ms", "commits");
    }

    private static void printResult(LogAppendBenchmark.Result r) {
        System.out.printf(Locale.ROOT, "%7d %11.1f %11.1f %8.2f %10.3f %10.3f %10.3f %9d%n", r.batchSize(), r.commitsPerSecond(),
                r.entriesPerSecond(), r.payloadMibPerSecond(), r.p50Nanos() / 1e6, r.p99Nanos() / 1e6, r.maxNanos() / 1e6, r.commits());
    }

    static LogAppendBenchmark.Settings parse(String... args) {
        double seconds = 5;
        List<Integer> batches = List.of(1, 64, 512);
        int entryBytes = 100;
        long entriesMax = 2_000_000;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) throw new IllegalArgumentException("expected --name=value, got " + arg);
            String name = arg.substring(2, eq);
            String value = arg.substring(eq + 1);
            try {
                switch (name) {
                    case "seconds" -> seconds = Double.parseDouble(value);
                    case "batches" -> {
                        List<Integer> list = new ArrayList<>();
                        for (String b : value.split(",")) list.add(Integer.parseInt(b.trim()));
                        batches = list;
                    }
                    case "entry-bytes" -> entryBytes = Integer.parseInt(value);
                    case "max-entries" -> entriesMax = Long.parseLong(value);
                    default -> throw new IllegalArgumentException("unknown option --" + name);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " needs a number, got " + value);
            }
        }
        if (!(seconds > 0 && seconds <= 3600)) throw new IllegalArgumentException("--seconds must be in (0, 3600], got " + seconds);
        return new LogAppendBenchmark.Settings(batches, entryBytes, (long) (seconds * 1e9), entriesMax);
    }
}
