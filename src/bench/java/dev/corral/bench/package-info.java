/**
 * Corral's benchmarks: figures, never pass/fail (DESIGN.md, "How it is tested", point 6).
 *
 * <h2>Running</h2>
 * <pre>
 *   ./mvnw -B -Pbench verify                      # full run, about 5 minutes on 2 cores including the build
 *   ./mvnw -B -Pbench verify -Dbench.quick=true   # rough figures in about 2 minutes
 * </pre>
 * The {@code bench} profile skips the tests, packages the node, compiles this source root (only in that
 * profile, with ZooKeeper {@code 3.9.5} on its class path) and runs {@link dev.corral.bench.Bench} in a
 * forked JVM. The report goes to standard output and to {@code target/bench/report.txt}; server logs to
 * {@code target/bench/logs}; data directories to {@code target/bench/work}. Needs only JDK 25 and the
 * wrapper; PostgreSQL parts run when {@code CORRAL_BENCH_PG_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/corral_bench}, user and password {@code CORRAL_BENCH_PG_USER} /
 * {@code CORRAL_BENCH_PG_PASSWORD}, default corral/corral) is reachable, and are skipped with a note
 * otherwise. That database is emptied (its {@code public} schema dropped) before and after use.
 *
 * <h2>What it measures</h2>
 * <ol>
 *   <li>Heap per znode: a million znodes of 100 bytes built in-process by Corral's {@code Apply} and by
 *       ZooKeeper's {@code DataTree}; used heap after full GCs ({@link dev.corral.bench.HeapBench}).</li>
 *   <li>Raw durable log appends per backend, through the packaged node's {@code bench-storage} command
 *       ({@link dev.corral.StorageBenchCommand}, {@link dev.corral.node.LogAppendBenchmark}).</li>
 *   <li>The packaged node ({@code target/quarkus-app/quarkus-run.jar}) over REST: create, setData and getData
 *       with 1, 16 and 64 closed-loop clients, on SQLite and on PostgreSQL ({@link dev.corral.bench.ApiBench}).</li>
 *   <li>ZooKeeper 3.9.5 standalone started in the same run and driven the same way with its official client,
 *       and the Corral/ZooKeeper ratio of every figure.</li>
 *   <li>Heap per znode in the running servers: the packaged node and ZooKeeper's server each get a million
 *       creates through their APIs from 16 clients; heap after a full GC, read with {@code jcmd}, empty, after
 *       the writes and after a restart ({@link dev.corral.bench.NodeHeapBench}).</li>
 *   <li>A three-node cluster ({@code -Dbench.only=cluster}): heap per znode on leader and follower, operations
 *       sent to the leader and to a follower, sequential and linearizable reads on a follower, and failover
 *       time after {@code kill -9} of the leader next to a three-server ZooKeeper ensemble's
 *       ({@link dev.corral.bench.ClusterBench}).</li>
 * </ol>
 * Each server's own group-commit counters (Corral's {@code /q/metrics}, ZooKeeper's {@code mntr}) are read
 * around each write cell, so that a figure can be explained by the number and cost of durable writes.
 *
 * <h2>Knobs</h2>
 * System properties on the Maven command line: {@code bench.quick}, {@code bench.seconds} (per cell),
 * {@code bench.concurrency} (e.g. {@code 1,16,64}), {@code bench.znodes}, {@code bench.only} (any of
 * {@code heap,nodeheap,storage,rest,zookeeper,snapshot,cluster}), {@code bench.cluster.znodes},
 * {@code bench.cluster.failovers}, {@code bench.corral.jvm-args} (extra node JVM options; {@code {name}}
 * becomes the run's name, handy for {@code -XX:StartFlightRecording=filename=target/bench/logs/{name}.jfr}).
 *
 * <h2>Reading the figures</h2>
 * Corral is measured over REST+JSON and ZooKeeper over its binary protocol until Corral's wire protocol
 * exists. The load generator runs on the same machine as the servers; on a small shared machine absolute
 * figures move a lot between runs, so compare within one run. Every server listens on 127.0.0.1 only and
 * every process started is stopped at the end, also on failure ({@link dev.corral.bench.Child}).
 */
package dev.corral.bench;
