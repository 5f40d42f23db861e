package dev.corral.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the benchmark run measures and how long, from system properties (the {@code bench} Maven profile
 * passes {@code -Dbench.*} through; "default" means unset). This is the benchmark's edge, so it reads
 * system properties and environment variables directly.
 *
 * @param cellSeconds       measured seconds per (system, operation, concurrency) cell
 * @param warmupSeconds     unmeasured seconds before each cell (the first cell per server gets more)
 * @param concurrency       concurrent clients, each with its own connection (Corral) or session (ZooKeeper)
 * @param znodes            znodes in the heap comparison
 * @param dataZnodes        existing znodes that setData and reads go to
 * @param dataBytes         bytes of data per znode and per log entry
 * @param storageSeconds    measured seconds per batch size in bench-storage
 * @param serverHeap        -Xmx of the Corral node and of the ZooKeeper server
 * @param corralJvmArgs     extra JVM options for the Corral node, e.g. a Flight Recorder to profile it
 * @param clusterZnodes     znodes written through the leader of the three-node cluster for its heap figures
 * @param clusterFailovers  leader kills (failover rounds) on the cluster and on the ZooKeeper ensemble
 */
record BenchSettings(boolean quick, double cellSeconds, double warmupSeconds, List<Integer> concurrency, int znodes, int dataZnodes,
        int dataBytes, double storageSeconds, String serverHeap, List<String> corralJvmArgs, int clusterZnodes, int clusterFailovers, Set<String> sections, Path jar, Path dir, String zookeeperVersion,
        Postgres postgres) {
    static final Set<String> ALL_SECTIONS = Set.of("heap", "nodeheap", "storage", "rest", "zookeeper", "snapshot", "cluster");

    static BenchSettings fromSystemProperties() {
        boolean quick = Boolean.parseBoolean(prop("bench.quick", "false"));
        double cellSeconds = Double.parseDouble(prop("bench.seconds", quick ? "1" : "3"));
        double warmupSeconds = Double.parseDouble(prop("bench.warmup", quick ? "0.5" : "1"));
        List<Integer> concurrency = new ArrayList<>();
        for (String c : prop("bench.concurrency", "1,16,64").split(",")) concurrency.add(Integer.parseInt(c.trim()));
        int znodes = Integer.parseInt(prop("bench.znodes", quick ? "100000" : "1000000"));
        double storageSeconds = Double.parseDouble(prop("bench.storage.seconds", quick ? "1" : "3"));
        int clusterZnodes = Integer.parseInt(prop("bench.cluster.znodes", quick ? "20000" : "200000"));
        int clusterFailovers = Integer.parseInt(prop("bench.cluster.failovers", quick ? "3" : "5"));
        String only = prop("bench.only", "all");
        Set<String> sections = only.equals("all") ? ALL_SECTIONS : Set.of(only.toLowerCase(Locale.ROOT).split(","));
        for (String s : sections) {
            if (!ALL_SECTIONS.contains(s)) throw new IllegalArgumentException("bench.only: unknown section " + s + ", known: " + ALL_SECTIONS);
        }
        if (cellSeconds <= 0 || warmupSeconds < 0 || storageSeconds <= 0 || znodes < 1 || clusterZnodes < 1 || clusterFailovers < 1 || concurrency.isEmpty()
                || concurrency.stream().anyMatch(c -> c < 1 || c > 1024)) {
            throw new IllegalArgumentException("bench settings out of range: seconds " + cellSeconds + ", warmup " + warmupSeconds
                    + ", storage seconds " + storageSeconds + ", znodes " + znodes + ", cluster znodes " + clusterZnodes
                    + ", cluster failovers " + clusterFailovers + ", concurrency " + concurrency);
        }
        return new BenchSettings(quick, cellSeconds, warmupSeconds, List.copyOf(concurrency), znodes, 1000, 100, storageSeconds,
                prop("bench.server.heap", "1g"), words(prop("bench.corral.jvm-args", "")), clusterZnodes, clusterFailovers, sections, Path.of(prop("bench.jar", "target/quarkus-app/quarkus-run.jar")).toAbsolutePath(),
                Path.of(prop("bench.dir", "target/bench")).toAbsolutePath(), prop("bench.zookeeper.version", "3.9.5"),
                Postgres.fromEnvironment());
    }

    boolean runs(String section) {
        return sections.contains(section);
    }

    int maxConcurrency() {
        return concurrency.stream().mapToInt(Integer::intValue).max().orElseThrow();
    }

    private static List<String> words(String s) {
        return s.isBlank() ? List.of() : List.of(s.trim().split("\\s+"));
    }

    private static String prop(String name, String fallback) {
        String v = System.getProperty(name);
        return v == null || v.isBlank() || v.equals("default") ? fallback : v.trim();
    }
}
