package dev.corral.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.corral.tree.AclTable;
import dev.corral.tree.Apply;
import dev.corral.tree.TreeState;
import dev.corral.txn.Acl;
import dev.corral.txn.Txn;
import dev.corral.txn.TxnRecord;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.server.DataTree;

/**
 * Heap per znode: the same tree built in this JVM by Corral's {@code Apply} (a persistent {@link TreeState})
 * and by ZooKeeper's {@code DataTree.createNode}, each measured as the growth of used heap after full GCs,
 * while a reference keeps the tree alive.
 */
final class HeapBench {
    static final int CHILDREN_PER_PARENT = 1000;
    private static final long TIME_MS = 1_764_000_000_000L;

    /** Heap growth and time of one build. */
    record Result(String system, int znodes, long bytes, double buildSeconds) {
        double bytesPerZnode() {
            return (double) bytes / znodes;
        }
    }

    private HeapBench() {}

    static void run(Report r, BenchSettings s) {
        int n = s.znodes();
        int parents = (n + CHILDREN_PER_PARENT - 1) / CHILDREN_PER_PARENT;
        r.section(String.format(Locale.ROOT, "1. Heap per znode: %,d znodes of %d bytes, Corral's tree vs ZooKeeper %s's DataTree", n,
                s.dataBytes(), s.zookeeperVersion()));
        r.f("Shape: /bench/gNNNN/nNNNN (%,d parents of up to %,d children), open ACL, persistent, %d random data bytes each (own array).",
                parents, CHILDREN_PER_PARENT, s.dataBytes());
        r.f("Built in the benchmark JVM (%s, heap max %d MiB, %s, compressed oops %s); used heap after full GCs, before and after,",
                Runtime.version(), Runtime.getRuntime().maxMemory() >> 20, gcNames(), vmOption("UseCompressedOops"));
        r.line("with a reference holding the tree. Parents are included (0.1% of the nodes).");
        Result corral = corral(n, s.dataBytes());
        Result zookeeper = zookeeper(n, s.dataBytes());
        r.line();
        r.f("%-28s %14s %14s %10s", "system", "heap growth", "bytes/znode", "build s");
        for (Result x : new Result[] {corral, zookeeper}) {
            r.f("%-28s %10.1f MiB %14.1f %10.1f", x.system(), x.bytes() / 1048576.0, x.bytesPerZnode(), x.buildSeconds());
        }
        r.f("Corral/ZooKeeper bytes per znode: %s (below 1 = Corral needs less).", Report.ratio(corral.bytesPerZnode(), zookeeper.bytesPerZnode()));
        int dataArray = (int) (((16L + s.dataBytes()) + 7) / 8 * 8);
        r.f("Both include the %d-byte data array itself (%d bytes on the heap with its header); the rest is per-znode overhead:",
                s.dataBytes(), dataArray);
        r.f("Corral %.0f bytes, ZooKeeper %.0f bytes per znode.", corral.bytesPerZnode() - dataArray, zookeeper.bytesPerZnode() - dataArray);
    }

    private static Result corral(int n, int dataBytes) {
        long before = usedAfterGc();
        long started = System.nanoTime();
        Apply apply = new Apply(new AclTable());
        TreeState state = TreeState.initial();
        long zxid = 0;
        SplittableRandom random = new SplittableRandom(42);
        state = apply.apply(state, ++zxid, new TxnRecord(TIME_MS, new Txn.Create("/bench", new byte[0], Acl.OPEN, 0))).state();
        String parent = null;
        for (int i = 0; i < n; i++) {
            if (i % CHILDREN_PER_PARENT == 0) {
                parent = String.format(Locale.ROOT, "/bench/g%04d", i / CHILDREN_PER_PARENT);
                state = apply.apply(state, ++zxid, new TxnRecord(TIME_MS + zxid, new Txn.Create(parent, new byte[0], Acl.OPEN, 0))).state();
            }
            byte[] data = new byte[dataBytes];
            random.nextBytes(data);
            String path = parent + String.format(Locale.ROOT, "/n%04d", i % CHILDREN_PER_PARENT);
            state = apply.apply(state, ++zxid, new TxnRecord(TIME_MS + zxid, new Txn.Create(path, data, Acl.OPEN, 0))).state();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long after = usedAfterGc();
        if (state.nodeCount() < n) throw new IllegalStateException("Corral tree has " + state.nodeCount() + " znodes, expected at least " + n);
        Reference.reachabilityFence(state);
        return new Result("Corral TreeState", n, after - before, seconds);
    }

    private static Result zookeeper(int n, int dataBytes) {
        long before = usedAfterGc();
        long started = System.nanoTime();
        DataTree tree = new DataTree();
        long zxid = 0;
        SplittableRandom random = new SplittableRandom(42);
        try {
            tree.createNode("/bench", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, 0, -1, ++zxid, TIME_MS);
            String parent = null;
            for (int i = 0; i < n; i++) {
                if (i % CHILDREN_PER_PARENT == 0) {
                    parent = String.format(Locale.ROOT, "/bench/g%04d", i / CHILDREN_PER_PARENT);
                    tree.createNode(parent, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, 0, -1, ++zxid, TIME_MS + zxid);
                }
                byte[] data = new byte[dataBytes];
                random.nextBytes(data);
                String path = parent + String.format(Locale.ROOT, "/n%04d", i % CHILDREN_PER_PARENT);
                tree.createNode(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, 0, -1, ++zxid, TIME_MS + zxid);
            }
        } catch (Exception e) {
            throw new IllegalStateException("ZooKeeper DataTree.createNode failed: " + e, e);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long after = usedAfterGc();
        if (tree.getNodeCount() < n) throw new IllegalStateException("ZooKeeper tree has " + tree.getNodeCount() + " znodes, expected " + n);
        Reference.reachabilityFence(tree);
        return new Result("ZooKeeper DataTree", n, after - before, seconds);
    }

    /** Used heap after full collections, once it stops shrinking. */
    static long usedAfterGc() {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            long now = memory.getHeapMemoryUsage().getUsed();
            if (Math.abs(used - now) < (256 << 10)) return now;
            used = now;
        }
        return used;
    }

    static String gcNames() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).collect(Collectors.joining("+"));
    }

    static String vmOption(String name) {
        try {
            return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(name).getValue();
        } catch (RuntimeException e) {
            return "?";
        }
    }
}
