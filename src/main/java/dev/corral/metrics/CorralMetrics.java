package dev.corral.metrics;

import dev.corral.consensus.Role;
import dev.corral.node.Corral;
import dev.corral.node.NodeDriver;
import dev.corral.node.NodeLifecycle;
import dev.corral.node.NodeMetrics;
import dev.corral.node.NodeStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus metrics of the node, under {@code corral_…}: commit and log-write (fsync) latency, snapshot
 * duration and size, leader changes, and gauges of znodes, watches, sessions, log size and replication
 * indexes. Per-operation request rates and latencies come from {@link RequestMetrics}.
 */
@ApplicationScoped
public class CorralMetrics implements NodeMetrics {
    @Inject
    MeterRegistry registry;

    @Inject
    Corral corral;

    @Inject
    NodeLifecycle lifecycle;

    private Timer commit;
    private Timer logWrite;
    private DistributionSummary logWriteEntries;
    private Timer snapshot;
    private Counter leaderChanges;
    private Counter storageFailures;
    private Counter digestMismatches;
    private final AtomicLong lastSnapshotBytes = new AtomicLong();

    @PostConstruct
    void register() {
        commit = Timer.builder("corral.commit").description("Write requests, from submission to durable commit and apply")
                .publishPercentileHistogram().register(registry);
        logWrite = Timer.builder("corral.log.write").description("Durable log writes (one fsync'd commit each, group commit)")
                .publishPercentileHistogram().register(registry);
        logWriteEntries = DistributionSummary.builder("corral.log.write.entries").description("Entries per durable log write")
                .register(registry);
        snapshot = Timer.builder("corral.snapshot").description("Snapshot writes").register(registry);
        leaderChanges = Counter.builder("corral.leader.changes").description("Times a new leader was seen").register(registry);
        gauge("corral.znodes", "Znodes in the tree", c -> c.state().nodeCount());
        gauge("corral.data.bytes", "Bytes of znode data", c -> c.state().dataBytes());
        gauge("corral.sessions", "Open sessions", c -> c.state().sessionCount());
        gauge("corral.watches", "Watches registered on this node", c -> c.watches().count());
        gauge("corral.term", "Current term", c -> c.status().term());
        gauge("corral.commit.index", "Highest index known committed", c -> c.status().commitIndex());
        gauge("corral.applied.zxid", "Last zxid applied to the served tree", c -> c.status().appliedZxid());
        gauge("corral.leader", "1 if this node is the leader", c -> c.status().role() == Role.LEADER ? 1 : 0);
        gauge("corral.ready", "1 if this node is ready to serve", c -> c.status().isReady() ? 1 : 0);
        gauge("corral.storage.available", "0 while this node cannot write to its storage (it then refuses writes and reopens"
                + " the storage with backoff), 1 otherwise", c -> storageAvailable(c.status()) ? 1 : 0);
        storageFailures = Counter.builder("corral.storage.failures").description("Failed storage writes and reopen attempts")
                .register(registry);
        digestMismatches = Counter.builder("corral.digest.mismatches").description("Digest checks that found this node's tree"
                + " different from the leader's (the node is then not ready)").register(registry);
        Gauge.builder("corral.log.bytes", lifecycle, l -> driverValue(l, NodeDriver::logBytes)).description("Payload bytes in the log")
                .register(registry);
        Gauge.builder("corral.log.entries", lifecycle, l -> driverValue(l, NodeDriver::logEntries)).description("Entries in the log")
                .register(registry);
        Gauge.builder("corral.snapshot.bytes", lastSnapshotBytes, AtomicLong::get).description("Size of the newest snapshot")
                .register(registry);
    }

    private void gauge(String name, String description, ToDoubleFunction<Corral> f) {
        Gauge.builder(name, corral, f).description(description).register(registry);
    }

    private static double driverValue(NodeLifecycle l, ToDoubleFunction<NodeDriver> f) {
        NodeDriver d = l.driver();
        return d == null ? 0 : f.applyAsDouble(d);
    }

    @Override
    public void logWrite(long nanos, int entries) {
        logWrite.record(nanos, TimeUnit.NANOSECONDS);
        logWriteEntries.record(entries);
    }

    @Override
    public void commit(long nanos) {
        commit.record(nanos, TimeUnit.NANOSECONDS);
    }

    private static boolean storageAvailable(NodeStatus s) {
        return s.phase() != NodeStatus.Phase.STORAGE_UNAVAILABLE && !(s.phase() == NodeStatus.Phase.RECOVERING && s.failure() != null);
    }

    @Override
    public void storageFailed() {
        storageFailures.increment();
    }

    @Override
    public void digestMismatch() {
        digestMismatches.increment();
    }

    @Override
    public void leaderChanged() {
        leaderChanges.increment();
    }

    @Override
    public void snapshotTaken(long nanos, long bytes) {
        snapshot.record(nanos, TimeUnit.NANOSECONDS);
        lastSnapshotBytes.set(bytes);
    }
}
