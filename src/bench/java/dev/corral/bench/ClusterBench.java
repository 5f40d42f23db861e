package dev.corral.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * A three-node Corral cluster of packaged nodes on loopback (SQLite each, separate data directories): heap per
 * znode on the leader and on a follower after writes through the API; create, setData and getData throughput and
 * latency sent to the leader and to a follower (which forwards writes), with sequential and linearizable reads;
 * and failover, the time from killing the leader (SIGKILL) to the next acknowledged write, next to the same
 * measurement on a three-server ZooKeeper ensemble with its shipped settings.
 */
final class ClusterBench {
    /** Writing clients during a failover, spread over the two surviving servers. */
    static final int FAILOVER_WRITERS = 8;
    /** How long a failover may take before the round counts as failed. */
    static final int FAILOVER_TIMEOUT_SECONDS = 120;
    /** ZooKeeper client session timeout in the failover loop (also what the other ZooKeeper parts use). */
    static final int ZK_SESSION_MS = 30_000;

    private ClusterBench() {}

    static void run(Report r, BenchSettings s) throws Exception {
        r.section("7. A three-node cluster: Corral (Raft over internal REST) vs a ZooKeeper " + s.zookeeperVersion() + " ensemble");
        r.f("Three packaged Corral nodes (-Xmx%s each, SQLite, own data directory, loopback ports) on this machine, started as", s.serverHeap());
        r.line("bin/local-cluster starts them, with their default Raft timing (tick 50 ms, heartbeat every tick, election timeout");
        r.line("10-20 ticks). All nodes, their disks and the load generator share the same cores: absolute figures are pessimistic.");
        byte[] data = new byte[s.dataBytes()];
        new SplittableRandom(7).nextBytes(data);
        List<Failover.Result> corral;
        try (CorralCluster cluster = CorralCluster.start(s, "cluster", s.dir().resolve("work").resolve("cluster"))) {
            int leader = cluster.awaitAllReady(180);
            r.f("Cluster up: leader node %d.", leader);
            heap(r, s, cluster, leader);
            cells(r, s, cluster, data);
            corral = corralFailovers(r, s, cluster, data);
        }
        List<Failover.Result> zk = zookeeperFailovers(r, s, data);
        r.line();
        r.f("Failover summary: kill -9 of the leader to the first acknowledged write sent after it / to every client having one;");
        r.f("median of %d rounds (each round in brackets):", s.clusterFailovers());
        summary(r, "Corral", corral);
        summary(r, "ZooKeeper " + s.zookeeperVersion(), zk);
    }

    // ---------------------------------------------------------------------------------------------- heap

    private static void heap(Report r, BenchSettings s, CorralCluster cluster, int leader) throws Exception {
        int n = s.clusterZnodes();
        int follower = otherThan(leader).getFirst();
        r.line();
        r.f("-- Heap per znode on the leader and on a follower: %,d znodes of %d bytes created through the leader's API", n, s.dataBytes());
        r.f("%d clients create /heap/gNNNN/nNNNN on the leader; the follower is synced (POST /v1/sync) and has applied the leader's", NodeHeapBench.CLIENTS);
        r.line("commit index; then each node's heap after a full GC (jcmd GC.run, GC.heap_info), as the nodeheap section reads it. The");
        r.line("heap includes each node's in-memory log cache (corral.raft.log-cache-bytes, 8 MiB by default) and everything else it keeps.");
        NodeHeapBench.Heap emptyLeader = NodeHeapBench.heapAfterGc(cluster.node(leader).pid());
        NodeHeapBench.Heap emptyFollower = NodeHeapBench.heapAfterGc(cluster.node(follower).pid());
        double seconds = NodeHeapBench.write(n, () -> new NodeHeapBench.CorralWriter(new HttpConnection(cluster.address(leader))));
        r.f("%,d creates through the leader in %.1f s (%.0f/s, %d clients).", n, seconds, n / seconds, NodeHeapBench.CLIENTS);
        cluster.sync(follower);
        awaitApplied(cluster, leader, follower, 120);
        NodeHeapBench.Heap leaderHeap = NodeHeapBench.heapAfterGc(cluster.node(leader).pid());
        NodeHeapBench.Heap followerHeap = NodeHeapBench.heapAfterGc(cluster.node(follower).pid());
        r.line();
        r.f("%-22s %14s %14s %12s %18s", "", "empty MiB", "after MiB", "per znode", "growth per znode");
        r.f("%-22s %14.1f %14.1f %12s %18s", "leader (node " + leader + ")", emptyLeader.usedBytes() / 1048576.0, leaderHeap.usedBytes() / 1048576.0,
                perZnode(leaderHeap.usedBytes(), n), perZnode(leaderHeap.usedBytes() - emptyLeader.usedBytes(), n));
        r.f("%-22s %14.1f %14.1f %12s %18s", "follower (node " + follower + ")", emptyFollower.usedBytes() / 1048576.0,
                followerHeap.usedBytes() / 1048576.0, perZnode(followerHeap.usedBytes(), n),
                perZnode(followerHeap.usedBytes() - emptyFollower.usedBytes(), n));
        r.f("(The log cache alone may hold up to 8 MiB, %.0f B per znode at this N: with few znodes it dominates the growth.)",
                8 * 1048576.0 / n);
        int now = cluster.leader();
        if (now != leader) r.f("NOTE: the leader changed during the heap measurement (node %d, now %s).", leader, now == 0 ? "none" : "node " + now);
    }

    private static String perZnode(long bytes, int n) {
        return String.format(Locale.ROOT, "%.0f B", (double) bytes / n);
    }

    /** Waits until {@code follower} has applied what {@code leader} had committed when asked. */
    private static void awaitApplied(CorralCluster cluster, int leader, int follower, int timeoutSeconds) throws Exception {
        CorralCluster.Self l = cluster.self(leader);
        if (l == null) throw new IllegalStateException("the leader (node " + leader + ") does not answer");
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (true) {
            CorralCluster.Self f = cluster.self(follower);
            if (f != null && f.appliedZxid() >= l.commitIndex()) return;
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("node " + follower + " has not applied " + l.commitIndex() + " within " + timeoutSeconds + " s: " + f);
            }
            Thread.sleep(50);
        }
    }

    // ---------------------------------------------------------------------------------------------- throughput

    /** One kind of cell; {@code underWrites}: {@link #BACKGROUND_WRITERS} clients setData through the leader meanwhile. */
    private record Row(Target.Op op, String where, Target target, boolean underWrites) {
        Row(Target.Op op, String where, Target target) {
            this(op, where, target, false);
        }
    }

    /** Clients writing through the leader during the "under writes" read cells. */
    static final int BACKGROUND_WRITERS = 4;

    private static void cells(Report r, BenchSettings s, CorralCluster cluster, byte[] data) throws Exception {
        int leader = cluster.awaitAllReady(180);
        int follower = otherThan(leader).getFirst();
        r.line();
        r.f("-- Client operations on the cluster over REST+JSON (leader node %d, follower node %d)", leader, follower);
        r.f("Closed loop as in section 3 (own HTTP/1.1 connection per client, one request outstanding). Writes sent to a follower are");
        r.line("forwarded to the leader and answered once the follower has applied them; a write is committed once 2 of 3 nodes have it");
        r.f("on disk. Reads on the follower: sequential (its own tree) and ?consistency=linearizable (waits for a leader-committed index");
        r.f("after the request). setData and reads go to %,d existing %d-byte znodes; the tree also holds the heap part's znodes.",
                s.dataZnodes(), s.dataBytes());
        r.f("'follower, seq., writes': sequential reads on the follower while %d other clients setData through the leader.", BACKGROUND_WRITERS);
        r.line("writes/s, entries/write, ms/write: the leader's durable log writes over the whole cell (warm-up included).");
        CorralRest toLeader = new CorralRest("leader", cluster.address(leader));
        CorralRest toFollower = new CorralRest("follower", cluster.address(follower));
        CorralRest linearizable = new CorralRest("follower", cluster.address(follower), "?consistency=linearizable");
        String[] dataPaths;
        List<Target.Client> prep = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) prep.add(toLeader.connect());
            dataPaths = ApiBench.prepare(prep, s.dataZnodes(), data);
        } finally {
            for (Target.Client c : prep) c.close();
        }
        cluster.sync(follower);
        List<Row> rows = List.of(new Row(Target.Op.CREATE, "to the leader", toLeader), new Row(Target.Op.CREATE, "to a follower", toFollower),
                new Row(Target.Op.SET, "to the leader", toLeader), new Row(Target.Op.SET, "to a follower", toFollower),
                new Row(Target.Op.GET, "follower, sequential", toFollower), new Row(Target.Op.GET, "follower, linearizable", linearizable),
                new Row(Target.Op.GET, "follower, seq., writes", toFollower, true));
        WriteCounters counters = toLeader.counters();
        r.line();
        r.f("%-8s %-23s %7s %9s %8s %8s %8s %8s %8s %7s   writes/s  entries/write  ms/write", "op", "sent", "clients", "ops/s", "p50 ms", "p90 ms",
                "p99 ms", "p99.9 ms", "max ms", "errors");
        boolean first = true;
        try (Target.Client setup = toLeader.connect()) {
            for (Row row : rows) {
                for (int c : s.concurrency()) {
                    String createParent = "/bench/create/" + (row.target() == toLeader ? "leader" : "follower") + "-c" + c;
                    if (row.op() == Target.Op.CREATE) setup.ensure(createParent);
                    List<Target.Client> clients = new ArrayList<>();
                    try {
                        for (int i = 0; i < c; i++) clients.add(row.target().connect());
                        WriteCounters.Snapshot before = counters.read();
                        double warmup = s.warmupSeconds() + (first ? 2 * s.warmupSeconds() + 1 : 0);
                        first = false;
                        Background background = row.underWrites() ? Background.start(toLeader, dataPaths, data) : null;
                        Stats st;
                        try {
                            st = ClosedLoop.run(clients, row.op(), createParent, dataPaths, data, warmup, s.cellSeconds());
                        } finally {
                            if (background != null) background.stop();
                        }
                        WriteCounters.Delta d = counters.read().minus(before);
                        double seconds = warmup + s.cellSeconds();
                        String extra = row.op() == Target.Op.GET ? "" : String.format(Locale.ROOT, "   %8.0f  %13.1f  %8.2f",
                                d.writes() / seconds, d.entriesPerWrite(), d.meanWriteMs());
                        r.f("%-8s %-23s %7d %9s %8s %8s %8s %8s %8s %7d%s", row.op().label, row.where(), c, Report.rate(st.perSecond()),
                                Report.ms(st.p50()), Report.ms(st.p90()), Report.ms(st.p99()), Report.ms(st.p999()), Report.ms(st.max()), st.errors(),
                                extra);
                        if (st.errors() > 0) r.line("         first error: " + st.firstError());
                    } finally {
                        for (Target.Client client : clients) client.close();
                    }
                }
            }
        } finally {
            counters.close();
        }
        int now = cluster.leader();
        if (now != leader) r.f("NOTE: the leader changed during these cells (node %d, now %s).", leader, now == 0 ? "none" : "node " + now);
    }

    /** {@link #BACKGROUND_WRITERS} clients writing setData in a loop until stopped. */
    private static final class Background {
        private volatile boolean stop;
        private final List<Thread> threads = new ArrayList<>();

        static Background start(Target target, String[] paths, byte[] data) throws Exception {
            Background b = new Background();
            for (int i = 0; i < BACKGROUND_WRITERS; i++) {
                Target.Client client = target.connect();
                int w = i;
                b.threads.add(Thread.ofPlatform().daemon().name("background-writer-" + i).start(() -> {
                    try (client) {
                        for (long seq = 0; !b.stop; seq++) {
                            try {
                                client.setData(paths[(int) ((w * 7919L + seq) % paths.length)], data);
                            } catch (Exception e) {
                                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                            }
                        }
                    }
                }));
            }
            return b;
        }

        void stop() throws InterruptedException {
            stop = true;
            for (Thread t : threads) t.join(30_000);
        }
    }

    // ---------------------------------------------------------------------------------------------- failover

    private static List<Failover.Result> corralFailovers(Report r, BenchSettings s, CorralCluster cluster, byte[] data) throws Exception {
        r.line();
        r.f("-- Failover, Corral: kill -9 of the leader with %d clients writing (setData, 100 bytes) through the two other nodes",
                FAILOVER_WRITERS);
        r.line("Each client has its own HTTP connection to one of the survivors (half each). Time from the SIGKILL to the first");
        r.line("acknowledged write that was sent after the killed process was gone, and until every client had one. Then the killed");
        r.line("node is restarted on its data and the next round waits until all three are ready, agree on a leader and have caught up.");
        int leader = cluster.awaitAllReady(180);
        try (Target.Client setup = new CorralRest("setup", cluster.address(leader)).connect()) {
            setup.ensure("/failover");
            for (int i = 0; i < FAILOVER_WRITERS; i++) setup.ensure(writerPath(i));
        }
        List<Failover.Result> results = new ArrayList<>();
        for (int round = 1; round <= s.clusterFailovers(); round++) {
            int killed = cluster.awaitAllReady(300);
            List<Integer> survivors = otherThan(killed);
            List<Failover.Writer> writers = new ArrayList<>();
            for (int i = 0; i < FAILOVER_WRITERS; i++) {
                Target.Client client = new CorralRest("writer", cluster.address(survivors.get(i % survivors.size()))).connect();
                String path = writerPath(i);
                writers.add(new Failover.Writer() {
                    @Override
                    public void write() throws Exception {
                        client.setData(path, data);
                    }

                    @Override
                    public void close() {
                        client.close();
                    }
                });
            }
            Failover.Result res = Failover.measure(writers, () -> cluster.kill(killed), 20, FAILOVER_TIMEOUT_SECONDS);
            int newLeader = cluster.leader();
            report(r, round, "node " + killed, newLeader == 0 ? "?" : "node " + newLeader, res);
            results.add(res);
            cluster.restart(killed);
        }
        cluster.awaitAllReady(300);
        summary(r, "Corral", results);
        return results;
    }

    private static List<Failover.Result> zookeeperFailovers(Report r, BenchSettings s, byte[] data) throws Exception {
        String zkName = "ZooKeeper " + s.zookeeperVersion();
        r.line();
        r.f("-- Failover, %s ensemble of 3 (QuorumPeerMain, -Xmx%s each, own dataDir, loopback ports)", zkName, s.serverHeap());
        r.line("Settings: " + ZooKeeperEnsemble.SETTINGS + ".");
        r.f("%d sessions of the official Java client (session timeout %d s) connected to the two servers that will survive, each", FAILOVER_WRITERS,
                ZK_SESSION_MS / 1000);
        r.line("writing setData of 100 bytes in a loop; the leader (srvr: Mode: leader) gets kill -9. Measured as for Corral; the figure");
        r.line("includes the client's reconnection (it waits up to 1 s at random before each new connection attempt).");
        List<Failover.Result> results = new ArrayList<>();
        try (ZooKeeperEnsemble ensemble = ZooKeeperEnsemble.start(s, "ensemble", s.dir().resolve("work").resolve("ensemble"))) {
            int leader = ensemble.awaitQuorum(180);
            r.f("Ensemble up: leader server %d.", leader);
            ZooKeeper setup = ZooKeeperClients.open(ensemble.connectString(List.of(1, 2, 3)), 60);
            try {
                ensure(setup, "/failover");
                for (int i = 0; i < FAILOVER_WRITERS; i++) ensure(setup, writerPath(i));
            } finally {
                setup.close(5_000);
            }
            for (int round = 1; round <= s.clusterFailovers(); round++) {
                int killed = ensemble.awaitQuorum(300);
                List<Integer> survivors = otherThan(killed);
                String connect = ensemble.connectString(survivors);
                List<Failover.Writer> writers = new ArrayList<>();
                for (int i = 0; i < FAILOVER_WRITERS; i++) {
                    ZooKeeper zk = openSession(connect);
                    String path = writerPath(i);
                    writers.add(new Failover.Writer() {
                        @Override
                        public void write() throws Exception {
                            zk.setData(path, data, -1);
                        }

                        @Override
                        public void close() {
                            try {
                                zk.close(5_000);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    });
                }
                Failover.Result res = Failover.measure(writers, () -> ensemble.kill(killed), 20, FAILOVER_TIMEOUT_SECONDS);
                String newLeader = "?";
                for (int id : survivors) if ("leader".equals(ensemble.mode(id))) newLeader = "server " + id;
                report(r, round, "server " + killed, newLeader, res);
                results.add(res);
                ensemble.restart(killed);
            }
            ensemble.awaitQuorum(300);
        }
        summary(r, zkName, results);
        return results;
    }

    private static ZooKeeper openSession(String connect) throws Exception {
        java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connect, ZK_SESSION_MS, event -> {
            if (event.getState() == org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected) connected.countDown();
        });
        if (!connected.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
            zk.close();
            throw new IllegalStateException("no ZooKeeper session at " + connect + " within 60 s");
        }
        return zk;
    }

    private static void ensure(ZooKeeper zk, String path) throws Exception {
        try {
            zk.create(path, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        } catch (KeeperException.NodeExistsException e) {
            // Already there.
        }
    }

    private static void report(Report r, int round, String killed, String newLeader, Failover.Result res) {
        String first = Double.isNaN(res.firstMs()) ? "NO write acknowledged within " + FAILOVER_TIMEOUT_SECONDS + " s"
                : String.format(Locale.ROOT, "first write acknowledged %6.0f ms after the kill", res.firstMs());
        String every = Double.isNaN(res.everyMs()) ? "not every client had one in time" : String.format(Locale.ROOT, "every client %6.0f ms", res.everyMs());
        r.f("  round %d: killed leader %s, new leader %s: %s, %s; %d failed writes after the kill%s", round, killed, newLeader, first, every,
                res.errors(), res.firstError() == null ? "" : " (first: " + abbreviate(res.firstError()) + ")");
    }

    private static String abbreviate(String s) {
        String one = s.replace('\n', ' ');
        return one.length() <= 160 ? one : one.substring(0, 160) + "...";
    }

    private static String writerPath(int i) {
        return "/failover/w" + i;
    }

    private static List<Integer> otherThan(int id) {
        List<Integer> out = new ArrayList<>();
        for (int i = 1; i <= CorralCluster.SIZE; i++) if (i != id) out.add(i);
        return out;
    }

    private static void summary(Report r, String system, List<Failover.Result> results) {
        List<Double> first = results.stream().map(Failover.Result::firstMs).filter(v -> !Double.isNaN(v)).toList();
        List<Double> every = results.stream().map(Failover.Result::everyMs).filter(v -> !Double.isNaN(v)).toList();
        r.f("  %-16s first write %8s (%s)   every client %8s (%s)%s", system + ":", median(first), joinMs(first), median(every), joinMs(every),
                first.size() < results.size() ? "   " + (results.size() - first.size()) + " round(s) without any write in time" : "");
    }

    static String median(List<Double> ms) {
        if (ms.isEmpty()) return "-";
        double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        double m = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return String.format(Locale.ROOT, "%.0f ms", m);
    }

    private static String joinMs(List<Double> ms) {
        return ms.isEmpty() ? "no round completed" : String.join(", ", ms.stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).toList()) + " ms";
    }
}
