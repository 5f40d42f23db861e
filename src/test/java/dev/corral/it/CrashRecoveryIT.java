package dev.corral.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the packaged node with {@code kill -9} while many clients write, restarts it on the same data directory,
 * and checks that it kept every acknowledged write: five cycles on one data directory, the history growing
 * from cycle to cycle. The last two cycles run with snapshots every 500 entries (100 kept behind), so that
 * the node snapshots and compacts its log before it is killed, and recovers through a snapshot.
 *
 * <p>What is checked after each restart is listed in {@link Verifier}; what the clients do, in {@link Workload}.
 * Recovery times and write counts are printed as {@code CRASH-FIGURES} lines. The node's output is kept in
 * {@code target/crash-it/}. The seed picks payloads and operations (thread timing is not reproducible); set it
 * with {@code -Dcorral.crash.seed=…}.
 */
class CrashRecoveryIT {
    private static final int CYCLES = 5;
    private static final int SNAPSHOT_FROM_CYCLE = 4;
    private static final int WRITERS = 24;
    private static final Duration CYCLE_DEADLINE = Duration.ofSeconds(120);
    private static final Map<String, String> SNAPSHOT_ENV = NodeProcess.env("CORRAL_SNAPSHOT_EVERY_ENTRIES", "500",
            "CORRAL_SNAPSHOT_KEEP_ENTRIES", "100");

    @TempDir
    Path work;

    private volatile NodeProcess node;
    private ExecutorService readers;
    private ScheduledExecutorService heartbeats;

    @BeforeEach
    void setUp() {
        readers = Executors.newFixedThreadPool(8);
        heartbeats = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        heartbeats.shutdownNow();
        NodeProcess n = node;
        if (n != null) n.close();
        readers.shutdownNow();
        heartbeats.awaitTermination(30, TimeUnit.SECONDS);
    }

    @Test
    void everyAcknowledgedWriteSurvivesRepeatedKillNineAndRestart() throws Exception {
        long seed = Long.getLong("corral.crash.seed", new SecureRandom().nextLong());
        System.out.println("CrashRecoveryIT: seed " + seed);
        Path dataDir = work.resolve("data");
        Path log = logFile("CrashRecoveryIT-node.log");
        History history = new History();
        Workload workload = new Workload(history, WRITERS, seed);
        SplittableRandom rnd = new SplittableRandom(seed);

        node = NodeProcess.startReady(dataDir, log, envFor(1));
        System.out.printf("CRASH-FIGURES first start: ready in %d ms%n", node.millisSinceStart());
        workload.createParents(node);
        heartbeats.scheduleWithFixedDelay(() -> workload.keepAlive(node), 0, 2, TimeUnit.SECONDS);

        List<String> figures = new ArrayList<>();
        long totalAcked = 0;
        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            boolean snapshots = cycle >= SNAPSHOT_FROM_CYCLE;
            long cycleLogStart = NodeProcess.size(log);
            int target = 1200 + rnd.nextInt(1200);
            long started = System.nanoTime();
            NodeProcess running = node;
            Workload.Run run = workload.start(running, cycle);
            NodeProcess.await("cycle " + cycle + ": " + target + " acknowledged writes" + (snapshots ? " and a log compaction" : ""),
                    CYCLE_DEADLINE, () -> !running.isAlive() || run.acked() >= target && (!snapshots || compacted(running, cycleLogStart)));
            assertTrue(running.isAlive(), "the node died during cycle " + cycle + ":\n" + running.tail(60));

            run.killing(true);
            int exit = running.kill9();
            run.join();
            double seconds = (System.nanoTime() - started) / 1e9;
            assertEquals(137, exit, "kill -9 should end the node with 128 + SIGKILL");
            history.restarted();

            long restartLogStart = NodeProcess.size(log);
            node = NodeProcess.startReady(dataDir, log, envFor(cycle + 1));
            long readyMs = node.millisSinceStart();
            NodeProcess.Recovered recovered = node.recovered(restartLogStart);
            String restartOutput = node.outputSince(restartLogStart);
            if (snapshots) {
                assertTrue(restartOutput.contains("loaded snapshot"), "cycle " + cycle + ": recovery did not load a snapshot:\n" + node.tail(60));
                assertTrue(recovered.snapshotZxid() > 0, "cycle " + cycle + ": recovery started from zxid 0: " + recovered);
            }

            long verifyStarted = System.nanoTime();
            Verifier.Report report = new Verifier(node, readers).verify(history);
            long verifyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - verifyStarted);
            List<String> problems = new ArrayList<>();
            if (recovered.zxid() < history.maxAckedZxid()) {
                problems.add("recovered to zxid " + recovered.zxid() + " but zxid " + history.maxAckedZxid() + " was acknowledged");
            }
            problems.addAll(report.problems());
            problems.addAll(history.anomalies());
            assertTrue(problems.isEmpty(), "cycle " + cycle + " (seed " + seed + "): " + problems.size() + " problems, first ones:\n  "
                    + String.join("\n  ", problems.subList(0, Math.min(30, problems.size()))) + "\n" + node.tail(30));

            totalAcked += run.acked();
            String line = String.format("cycle %d%s: %d writes acknowledged, %d in doubt, in %.1f s (%.0f acks/s); kill -9 at zxid >= %d;"
                    + " restart ready in %d ms (recovery %d ms: to zxid %d from snapshot at %d + %d log entries);"
                    + " verified %d znodes in the tree, %d in the history in %d ms, in-doubt writes %d applied / %d not; sessions %d open, %d closed",
                    cycle, snapshots ? " (snapshots every 500)" : "", run.acked(), run.unknown(), seconds, run.acked() / seconds,
                    history.maxAckedZxid(), readyMs, recovered.millis(), recovered.zxid(), recovered.snapshotZxid(), recovered.logEntries(),
                    report.znodesInTree(), report.znodesChecked(), verifyMs, report.unknownApplied(), report.unknownNotApplied(), report.sessionsOpen(),
                    report.sessionsClosed());
            figures.add(line);
            System.out.println("CRASH-FIGURES " + line);
        }

        NodeProcess.Reply after = node.post("/v1/nodes/crash/after-the-last-restart", "{\"data\":\"\"}");
        assertEquals(201, after.status(), after.body());
        assertTrue(after.zxid() > history.maxAckedZxid(), "a write after the restart got zxid " + after.zxid() + ", not above "
                + history.maxAckedZxid());
        System.out.printf("CRASH-FIGURES total: %d writes acknowledged over %d kill -9 cycles (%d with snapshots), all present after restart%n",
                totalAcked, CYCLES, CYCLES - SNAPSHOT_FROM_CYCLE + 1);
    }

    private static Map<String, String> envFor(int cycle) {
        return cycle >= SNAPSHOT_FROM_CYCLE ? SNAPSHOT_ENV : Map.of();
    }

    /** A snapshot was written since {@code logOffset} and the log was compacted behind it. */
    private static boolean compacted(NodeProcess node, long logOffset) {
        if (!node.outputSince(logOffset).contains("snapshot at zxid")) return false;
        try {
            double entries = node.metric("corral_log_entries").orElse(Double.MAX_VALUE);
            double applied = node.metric("corral_applied_zxid").orElse(0.0);
            return entries + 100 < applied;
        } catch (IOException e) {
            return false;
        }
    }

    /** The node's output goes to {@code target/crash-it/}, where it stays for a look after the run. */
    static Path logFile(String name) throws IOException {
        Path dir = Path.of(System.getProperty("corral.jar")).toAbsolutePath().getParent().getParent().resolve("crash-it");
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        Files.deleteIfExists(file);
        return file;
    }
}
