package dev.corral.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Corral's benchmarks (DESIGN.md, "How it is tested", point 6): figures, not pass/fail. Run with
 * {@code ./mvnw -B -Pbench verify}; see the {@code bench} profile in pom.xml for the knobs.
 *
 * <ol>
 *   <li>the packaged node over REST: create, setData, getData at several concurrencies, on SQLite and PostgreSQL;</li>
 *   <li>raw durable log appends per backend, through the node's {@code bench-storage} command;</li>
 *   <li>heap per znode: Corral's tree and ZooKeeper's DataTree, a million znodes each, in this JVM;</li>
 *   <li>a standalone ZooKeeper started in the same run, measured the same way with its official client,
 *       and Corral/ZooKeeper ratios for every figure;</li>
 *   <li>a three-node cluster: heap per znode on leader and follower, operations sent to the leader and to a
 *       follower, and failover time (kill -9 of the leader) next to a three-server ZooKeeper ensemble's.</li>
 * </ol>
 * Every server listens on 127.0.0.1 only, every data directory is under {@code target/bench/work}, and every
 * process started is stopped at the end, also on failure (see {@link Child}). Exits 1 if any part failed.
 */
public final class Bench {
    private static final String SQLITE = "Corral/SQLite";
    private static final String POSTGRES = "Corral/PostgreSQL";
    private static final String SQLITE_WIRE = "Corral/SQLite/zk";

    private Bench() {}

    public static void main(String[] args) throws Exception {
        BenchSettings s = BenchSettings.fromSystemProperties();
        quietZooKeeperClientLogging();
        Path work = s.dir().resolve("work");
        deleteRecursively(work);
        deleteRecursively(s.dir().resolve("logs"));
        Files.createDirectories(work);
        List<String> failures = new ArrayList<>();
        long started = System.nanoTime();
        try (Report r = new Report(s.dir().resolve("report.txt"))) {
            r.line("Corral benchmark report, " + Instant.now() + (s.quick() ? " (QUICK MODE: small sizes, rough figures)" : ""));
            r.line("Command: ./mvnw -B -Pbench verify   (report also in " + r.path() + ", server logs in " + s.dir().resolve("logs") + ")");
            r.f("Settings: %.1f s measured per cell after %.1f s warm-up, clients %s, %d-byte data, %,d znodes for heap, %.1f s per storage batch size",
                    s.cellSeconds(), s.warmupSeconds(), s.concurrency(), s.dataBytes(), s.znodes(), s.storageSeconds());
            if (s.runs("cluster")) r.f("Cluster: %,d znodes for its heap figures, %d failover rounds", s.clusterZnodes(), s.clusterFailovers());
            String pgProblem = s.postgres().unreachableBecause();
            Machine.print(r, s, pgProblem);
            boolean postgres = pgProblem == null;

            // Heap first, while this JVM holds nothing else.
            if (s.runs("heap")) section(r, failures, "heap", () -> HeapBench.run(r, s));
            if (s.runs("nodeheap")) section(r, failures, "nodeheap", () -> NodeHeapBench.run(r, s));
            if (s.runs("storage")) section(r, failures, "storage", () -> StorageBench.run(r, s, postgres));

            Map<String, Map<ApiBench.Cell, Stats>> results = new LinkedHashMap<>();
            if (s.runs("rest") || s.runs("zookeeper")) {
                r.section("3. Client operations: Corral over REST+JSON vs ZooKeeper " + s.zookeeperVersion() + " over its binary protocol");
                r.f("Closed loop: each client has its own connection (Corral: HTTP/1.1 keep-alive, raw socket) or session (ZooKeeper:");
                r.f("official Java client, synchronous calls) and one request outstanding. create makes new znodes with %d bytes of data,",
                        s.dataBytes());
                r.f("setData overwrites (version -1) and getData reads %,d existing %d-byte znodes. Single node each; ZooKeeper standalone with",
                        s.dataZnodes(), s.dataBytes());
                r.line("forceSync=yes (fsync per group commit), Corral acknowledging after its durable (fsync'd) log commit.");
                r.line("Corral on SQLite is measured twice: over REST+JSON (base64 data, HTTP parsing), and over ZooKeeper's protocol with");
                r.line("ZooKeeper's official Java client on Corral's client port: the same client code against both servers.");
                r.line("Durable writes (group commits) per second, entries per write and ms per write come from each server's own counters,");
                r.line("over the whole cell (warm-up included): Corral's /q/metrics time the whole JdbcLogStore.write transaction (inserts,");
                r.line("hard state, commit and its fsync); ZooKeeper's mntr times only the fsync call, in whole milliseconds (truncated).");
            }
            if (s.runs("rest")) {
                section(r, failures, "Corral on SQLite", () -> {
                    Path dataDir = work.resolve("corral-sqlite");
                    try (Servers.Running node = Servers.corral(s, "corral-sqlite", dataDir, Map.of())) {
                        results.put(SQLITE, ApiBench.measure(r, s, new CorralRest(SQLITE + " (packaged node, REST)", node.address())));
                    }
                    // A fresh node for the same cells over ZooKeeper's protocol (the first holds the REST cells' znodes).
                    try (Servers.Running node = Servers.corral(s, "corral-sqlite-zk", work.resolve("corral-sqlite-zk"), Map.of())) {
                        results.put(SQLITE_WIRE, ApiBench.measure(r, s, new ZooKeeperClients(SQLITE_WIRE
                                + " (packaged node, ZooKeeper's official Java client on the client port)", node.clientAddress(),
                                new CorralCounters(node.address()))));
                    }
                    String refusal = StorageBench.refusalOn(s, dataDir);
                    r.line("Safety check: bench-storage on this used data directory refused, as it must:");
                    r.line("  " + refusal);
                });
                if (postgres) {
                    section(r, failures, "Corral on PostgreSQL", () -> {
                        s.postgres().wipe();
                        try (Servers.Running node = Servers.corral(s, "corral-postgresql", work.resolve("corral-postgresql"),
                                s.postgres().nodeEnvironment())) {
                            results.put(POSTGRES, ApiBench.measure(r, s, new CorralRest(POSTGRES + " (packaged node, REST)", node.address())));
                        } finally {
                            s.postgres().wipe();
                        }
                    });
                } else {
                    r.line();
                    r.line("-- " + POSTGRES + ": skipped (PostgreSQL not reachable at " + s.postgres().url() + ")");
                }
            }
            String zk = "ZooKeeper " + s.zookeeperVersion();
            if (s.runs("zookeeper")) {
                section(r, failures, zk, () -> {
                    try (Servers.Running server = Servers.zookeeper(s, "zookeeper", work.resolve("zookeeper"))) {
                        results.put(zk, ApiBench.measure(r, s, new ZooKeeperClients(zk + " (standalone, official Java client)",
                                server.address())));
                    }
                });
            }
            if (results.containsKey(zk) && (results.containsKey(SQLITE) || results.containsKey(POSTGRES))) {
                ratios(r, s, results, zk);
            }
            if (s.runs("snapshot")) section(r, failures, "snapshot", () -> SnapshotStallBench.run(r, s));
            if (s.runs("cluster")) section(r, failures, "cluster", () -> ClusterBench.run(r, s));
            r.section("Notes");
            r.f("Load average at the end: %s. The machine has %d cores shared by the servers, the load generator and other agents'",
                    Machine.loadAverage(), Runtime.getRuntime().availableProcessors());
            r.line("builds and tests running at the same time: absolute figures are noisy; compare within one run (the ratios).");
            r.f("Total benchmark time: %.0f s (after the Maven build).", (System.nanoTime() - started) / 1e9);
            if (failures.isEmpty()) {
                r.line("All parts ran.");
            } else {
                r.line("FAILED parts: " + String.join(", ", failures) + " (details above; server logs in " + s.dir().resolve("logs") + ")");
            }
        } finally {
            if (s.postgres().unreachableBecause() == null) s.postgres().wipe();
        }
        System.exit(failures.isEmpty() ? 0 : 1);
    }

    private static void ratios(Report r, BenchSettings s, Map<String, Map<ApiBench.Cell, Stats>> results, String zk) {
        r.section("4. Ratios Corral/ZooKeeper (same machine, same run)");
        r.line("Throughput: above 1 = Corral faster. Latency: below 1 = Corral faster. SQLite and PostgreSQL: Corral over REST+JSON;");
        r.line("SQLite/zk: Corral over ZooKeeper's protocol, the same official client as ZooKeeper's column.");
        List<String> backends = Stream.of(SQLITE, SQLITE_WIRE, POSTGRES).filter(results::containsKey).toList();
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-8s %7s %11s", "op", "clients", "ZK ops/s"));
        for (String b : backends) head.append(String.format(Locale.ROOT, " %11s %8s", b.substring(7) + " ops/s", "ratio"));
        r.line();
        r.line(head.toString());
        Map<ApiBench.Cell, Stats> z = results.get(zk);
        for (ApiBench.Cell cell : z.keySet()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-8s %7d %11s", cell.op().label, cell.clients(),
                    Report.rate(z.get(cell).perSecond())));
            for (String b : backends) {
                Stats c = results.get(b).get(cell);
                line.append(String.format(Locale.ROOT, " %11s %8s", c == null ? "-" : Report.rate(c.perSecond()),
                        c == null ? "-" : Report.ratio(c.perSecond(), z.get(cell).perSecond())));
            }
            r.line(line.toString());
        }
        r.line();
        r.line("Latency ratios Corral/ZooKeeper (ZooKeeper's own milliseconds in brackets):");
        r.f("%-8s %7s %-10s %14s %14s %14s %14s %14s", "op", "clients", "backend", "p50", "p90", "p99", "p99.9", "max");
        for (ApiBench.Cell cell : z.keySet()) {
            Stats zs = z.get(cell);
            for (String b : backends) {
                Stats c = results.get(b).get(cell);
                if (c == null) continue;
                r.f("%-8s %7d %-10s %14s %14s %14s %14s %14s", cell.op().label, cell.clients(), b.substring(7), both(c.p50(), zs.p50()),
                        both(c.p90(), zs.p90()), both(c.p99(), zs.p99()), both(c.p999(), zs.p999()), both(c.max(), zs.max()));
            }
        }
    }

    private static String both(long corral, long zookeeper) {
        return Report.ratio(corral, zookeeper) + " [" + Report.ms(zookeeper) + "]";
    }

    private interface Part {
        void run() throws Exception;
    }

    /** Runs one part; a failure is reported and the run goes on with the next part. */
    private static void section(Report r, List<String> failures, String name, Part part) {
        try {
            part.run();
        } catch (Exception | Error e) {
            failures.add(name);
            r.line();
            r.line("FAILED: " + name + ": " + e);
            for (StackTraceElement el : e.getStackTrace()) {
                if (el.getClassName().startsWith("dev.corral")) {
                    r.line("    at " + el);
                }
            }
        }
    }

    /** Held so that the level set on it stays (JUL keeps loggers weakly). */
    private static java.util.logging.Logger zookeeperLogger;

    /** The ZooKeeper client logs every connection at INFO through SLF4J; the report needs none of it. */
    private static void quietZooKeeperClientLogging() {
        zookeeperLogger = java.util.logging.Logger.getLogger("org.apache.zookeeper");
        zookeeperLogger.setLevel(java.util.logging.Level.WARNING);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
