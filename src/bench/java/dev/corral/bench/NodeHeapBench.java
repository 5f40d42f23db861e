package dev.corral.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * Heap per znode in the running server, as an operator would see it: the packaged Corral node (SQLite) and a
 * standalone ZooKeeper each get {@code znodes} plain creates of 100 random bytes from several concurrent
 * clients (Corral through REST, ZooKeeper through its official client), and the server's heap is read after
 * a full GC ({@code jcmd <pid> GC.run}, then {@code GC.heap_info}): empty, after the writes, and after a
 * restart on the same data. Unlike {@link HeapBench}, this counts everything the server keeps for the data:
 * the tree and any second copy of it, log entries held in memory, per-request bookkeeping.
 */
final class NodeHeapBench {
    static final int CLIENTS = 16;
    static final String SERVER_HEAP = "2g";
    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total.*?used (\\d+)K");
    private static final Pattern HISTOGRAM_ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

    private NodeHeapBench() {}

    /** Used heap after a full GC, and the biggest classes by bytes then. */
    record Heap(long usedBytes, List<String> topClasses) {}

    /** Writes one znode; one per client thread. */
    interface Writer extends AutoCloseable {
        void create(String path, byte[] data) throws Exception;

        @Override
        void close();
    }

    static void run(Report r, BenchSettings s) throws Exception {
        int n = s.znodes();
        r.section(String.format(Locale.ROOT, "6. Heap per znode in the running server: %,d znodes of %d bytes written through the API", n,
                s.dataBytes()));
        r.f("Each server in its own JVM (-Xmx%s, the JVM's default collector); %d clients create /heap/gNNNN/nNNNN (%,d children per",
                SERVER_HEAP, CLIENTS, HeapBench.CHILDREN_PER_PARENT);
        r.line("parent), each with its own random data. Heap used after a full GC (jcmd GC.run, then GC.heap_info): empty, after the");
        r.line("writes, and after a restart on the same data. 'per znode' is heap/N; 'growth per znode' is (heap - empty heap)/N.");
        r.line("Corral is the packaged node on SQLite over REST; ZooKeeper is standalone, through its official client.");
        List<String[]> rows = new ArrayList<>();
        // -Dbench.nodeheap.zookeeper=false skips ZooKeeper, to measure Corral alone while changing it.
        corral(r, s, n, rows);
        if (!"false".equals(System.getProperty("bench.nodeheap.zookeeper"))) zookeeper(r, s, n, rows);
        r.line();
        r.f("%-34s %12s %12s %18s", "", "heap MiB", "per znode", "growth per znode");
        for (String[] row : rows) r.f("%-34s %12s %12s %18s", (Object[]) row);
    }

    private static void corral(Report r, BenchSettings s, int n, List<String[]> rows) throws Exception {
        String name = "corral-heap";
        Path dir = s.dir().resolve("work").resolve(name);
        Heap empty;
        Heap written;
        try (Servers.Running node = Servers.corral(s, name, dir, Map.of(), SERVER_HEAP)) {
            empty = heapAfterGc(node.child().pid());
            double seconds = write(n, () -> new CorralWriter(new HttpConnection(node.address())));
            r.line();
            r.f("Corral: %,d creates in %.1f s (%.0f/s).", n, seconds, n / seconds);
            written = heapAfterGc(node.child().pid());
        }
        Heap restarted;
        try (Servers.Running node = Servers.corral(s, name + "-restarted", dir, Map.of(), SERVER_HEAP)) {
            restarted = heapAfterGc(node.child().pid());
        }
        addRows(rows, "Corral", n, empty, written, restarted);
        printTop(r, "Corral after the writes", written);
        printTop(r, "Corral after a restart", restarted);
    }

    private static void zookeeper(Report r, BenchSettings s, int n, List<String[]> rows) throws Exception {
        String name = "zookeeper-heap";
        Path dir = s.dir().resolve("work").resolve(name);
        String zk = "ZooKeeper " + s.zookeeperVersion();
        Heap empty;
        Heap written;
        try (Servers.Running server = Servers.zookeeper(s, name, dir, SERVER_HEAP)) {
            empty = heapAfterGc(server.child().pid());
            String connect = Servers.connectString(server.address());
            double seconds = write(n, () -> new ZooKeeperWriter(ZooKeeperClients.open(connect, 60)));
            r.line();
            r.f("%s: %,d creates in %.1f s (%.0f/s).", zk, n, seconds, n / seconds);
            written = heapAfterGc(server.child().pid());
        }
        Heap restarted;
        try (Servers.Running server = Servers.zookeeper(s, name + "-restarted", dir, SERVER_HEAP)) {
            restarted = heapAfterGc(server.child().pid());
        }
        addRows(rows, zk, n, empty, written, restarted);
        printTop(r, zk + " after the writes", written);
    }

    private static void addRows(List<String[]> rows, String system, int n, Heap empty, Heap written, Heap restarted) {
        rows.add(row(system + ", empty", empty.usedBytes(), 0, -1));
        rows.add(row(system + ", after the writes", written.usedBytes(), n, written.usedBytes() - empty.usedBytes()));
        rows.add(row(system + ", after a restart", restarted.usedBytes(), n, restarted.usedBytes() - empty.usedBytes()));
    }

    private static String[] row(String label, long bytes, int n, long growth) {
        return new String[] {label, String.format(Locale.ROOT, "%.1f", bytes / 1048576.0),
                n == 0 ? "-" : String.format(Locale.ROOT, "%.0f B", (double) bytes / n),
                growth < 0 ? "-" : String.format(Locale.ROOT, "%.0f B", (double) growth / n)};
    }

    private static void printTop(Report r, String what, Heap heap) {
        r.line();
        r.line("Largest classes, " + what + " (jcmd GC.class_histogram: instances, MiB, class):");
        for (String line : heap.topClasses()) r.line("  " + line);
    }

    /** Creates {@code n} znodes with {@link #CLIENTS} concurrent writers; returns the seconds it took. */
    static double write(int n, WriterFactory factory) throws Exception {
        int parents = (n + HeapBench.CHILDREN_PER_PARENT - 1) / HeapBench.CHILDREN_PER_PARENT;
        try (Writer setup = factory.open()) {
            setup.create("/heap", new byte[0]);
            for (int g = 0; g < parents; g++) setup.create(parentPath(g), new byte[0]);
        }
        long started = System.nanoTime();
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < CLIENTS; w++) {
            int worker = w;
            Writer writer = factory.open();
            threads.add(Thread.ofPlatform().name("heap-writer-" + w).start(() -> {
                SplittableRandom random = new SplittableRandom(42 + worker);
                try (writer) {
                    for (int i = worker; i < n && failure.get() == null; i += CLIENTS) {
                        byte[] data = new byte[100];
                        random.nextBytes(data);
                        writer.create(parentPath(i / HeapBench.CHILDREN_PER_PARENT)
                                + String.format(Locale.ROOT, "/n%04d", i % HeapBench.CHILDREN_PER_PARENT), data);
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread t : threads) t.join();
        if (failure.get() != null) throw failure.get();
        return (System.nanoTime() - started) / 1e9;
    }

    interface WriterFactory {
        Writer open() throws Exception;
    }

    private static String parentPath(int g) {
        return String.format(Locale.ROOT, "/heap/g%04d", g);
    }

    record CorralWriter(HttpConnection http) implements Writer {
        @Override
        public void create(String path, byte[] data) throws IOException {
            byte[] body = ("{\"data\":\"" + Base64.getEncoder().encodeToString(data) + "\"}").getBytes(StandardCharsets.US_ASCII);
            int status = http.send("POST", "/v1/nodes" + path, body);
            if (status != 201) {
                throw new IOException("POST " + path + ": HTTP " + status + " " + new String(http.body(), StandardCharsets.UTF_8));
            }
        }

        @Override
        public void close() {
            http.close();
        }
    }

    private record ZooKeeperWriter(ZooKeeper zk) implements Writer {
        @Override
        public void create(String path, byte[] data) throws Exception {
            zk.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }

        @Override
        public void close() {
            try {
                zk.close(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The process's heap after full collections (repeated until it stops shrinking), read with jcmd, and its
     * largest classes then (the class histogram collects again first).
     */
    static Heap heapAfterGc(long pid) throws Exception {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            jcmd(pid, "GC.run");
            long now = heapUsed(jcmd(pid, "GC.heap_info"));
            if (Math.abs(used - now) < (512 << 10)) {
                used = now;
                break;
            }
            used = now;
        }
        List<String> top = new ArrayList<>();
        for (String line : jcmd(pid, "GC.class_histogram").split("\n")) {
            Matcher m = HISTOGRAM_ROW.matcher(line);
            if (!m.find()) continue;
            top.add(String.format(Locale.ROOT, "%,12d %8.1f  %s", Long.parseLong(m.group(1)), Long.parseLong(m.group(2)) / 1048576.0,
                    m.group(3)));
            if (top.size() == 10) break;
        }
        return new Heap(used, top);
    }

    private static long heapUsed(String heapInfo) {
        Matcher m = HEAP_USED.matcher(heapInfo);
        if (!m.find()) throw new IllegalStateException("no heap use in jcmd GC.heap_info output:\n" + heapInfo);
        return Long.parseLong(m.group(1)) << 10;
    }

    private static String jcmd(long pid, String command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + out);
        }
        return out;
    }
}
