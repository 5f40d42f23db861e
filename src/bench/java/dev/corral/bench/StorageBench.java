package dev.corral.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Raw durable log appends per backend, through the packaged node's own {@code bench-storage} command (so
 * through {@code JdbcLogStore}, with the node's JDBC settings), on a scratch data directory or database.
 */
final class StorageBench {
    private StorageBench() {}

    static void run(Report r, BenchSettings s, boolean postgres) throws Exception {
        r.section("2. Raw durable log appends (java -jar quarkus-run.jar bench-storage, through Corral's JdbcLogStore)");
        r.f("%d-byte entries, batches of 1, 64 and 512 entries per commit, %.1f s per batch size. commits/s = durable transactions", s.dataBytes(),
                s.storageSeconds());
        r.line("per second (each one fsync: SQLite WAL synchronous=FULL, PostgreSQL synchronous_commit=on); entries/s = commits/s x batch.");
        boolean ok = once(r, s, "SQLite (embedded default)", Map.of("CORRAL_DATA_DIR", s.dir().resolve("work/storage-sqlite").toString()),
                "storage-sqlite");
        if (postgres) {
            s.postgres().wipe();
            try {
                ok &= once(r, s, "PostgreSQL " + s.postgres().url(), s.postgres().nodeEnvironment(), "storage-postgresql");
            } finally {
                s.postgres().wipe();
            }
        } else {
            r.line();
            r.line("PostgreSQL: skipped (not reachable at " + s.postgres().url() + ").");
        }
        if (!ok) throw new IllegalStateException("bench-storage failed; see above");
    }

    private static boolean once(Report r, BenchSettings s, String label, Map<String, String> extraEnv, String name) throws Exception {
        r.line();
        r.line("-- " + label);
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("CORRAL_AUTOSTART", "false");
        Path out = s.dir().resolve("logs").resolve(name + ".out");
        Path err = s.dir().resolve("logs").resolve(name + ".log");
        int rc = Child.run(name, command(s, "--seconds=" + s.storageSeconds(), "--batches=1,64,512", "--entry-bytes=" + s.dataBytes()), env,
                out, err, 600);
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) r.line("   " + line);
        List<String> errors = Files.readAllLines(err, StandardCharsets.UTF_8);
        if (rc != 0) {
            r.line("   FAILED: bench-storage exited with " + rc + "; its standard error (" + err + ") ends with:");
            for (String line : errors.subList(Math.max(0, errors.size() - 15), errors.size())) r.line("   | " + line);
        }
        return rc == 0;
    }

    /**
     * Safety check of the command itself: on a data directory a node has used, bench-storage must refuse.
     * Returns the refusal message, or throws if it did not refuse.
     */
    static String refusalOn(BenchSettings s, Path usedDataDir) throws Exception {
        Path log = s.dir().resolve("logs").resolve("storage-refusal.log");
        int rc = Child.run("storage-refusal", command(s, "--seconds=0.1"),
                Map.of("CORRAL_AUTOSTART", "false", "CORRAL_DATA_DIR", usedDataDir.toString()), log, null, 300);
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        String refusal = lines.stream().filter(l -> l.contains("refusing to run")).findFirst().orElse("");
        if (rc != 2 || refusal.isEmpty()) {
            throw new IllegalStateException("bench-storage did not refuse a used data directory (exit code " + rc + "); see " + log);
        }
        return refusal;
    }

    private static List<String> command(BenchSettings s, String... args) {
        List<String> cmd = Child.list(Child.java(), "--enable-native-access=ALL-UNNAMED", "-jar", s.jar().toString(), "bench-storage");
        cmd.addAll(List.of(args));
        return cmd;
    }
}
