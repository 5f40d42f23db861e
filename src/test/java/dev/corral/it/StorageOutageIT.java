package dev.corral.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Storage outages under load on the packaged node (issue #6, §5): the database crashes, or the disk fills up,
 * while clients write. The node must stay up and live, report not ready, refuse writes with 503
 * {@code NOT_READONLY} and {@code Retry-After} while reads go on, reopen its storage by itself once it is back
 * and become ready again, with every acknowledged write readable ({@link Verifier}) and nothing acknowledged
 * that was not durable.
 *
 * <p>PostgreSQL: a private server ({@link PrivatePostgres}) is crashed with {@code pg_ctl stop -m immediate} and
 * started again. SQLite: the data directory is a 16 MiB tmpfs, filled up by a file, then freed; the node is
 * also restarted while the disk is full (it used to exit at its first write after a restart). Mounting needs
 * root; where it is not permitted the SQLite test is skipped.
 */
class StorageOutageIT {
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final int WRITERS = 6;

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private ExecutorService readers;
    private NodeProcess node;

    @BeforeEach
    void setUp() {
        readers = Executors.newFixedThreadPool(4);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (node != null) node.close();
        readers.shutdownNow();
        for (AutoCloseable c : cleanup.reversed()) c.close();
    }

    @Test
    void postgresCrashedAndRestartedUnderLoadLosesNoAcknowledgedWriteAndTheNodeRecoversByItself() throws Exception {
        PrivatePostgres pg = PrivatePostgres.start();
        cleanup.add(pg);
        Path log = CrashRecoveryIT.logFile("StorageOutageIT-postgres.log");
        Map<String, String> env = NodeProcess.env("CORRAL_STORAGE_JDBC_URL", pg.url(), "CORRAL_STORAGE_USERNAME", PrivatePostgres.USER,
                "CORRAL_STORAGE_PASSWORD", "unused");
        node = NodeProcess.startReady(Files.createTempDirectory("corral-outage-pg-"), log, env);
        History history = new History();
        Workload workload = new Workload(history, WRITERS, seed());
        workload.createParents(node);
        Workload.Run run = workload.start(node, 1);
        NodeProcess.await("300 acknowledged writes", DEADLINE, () -> run.acked() >= 300);

        pg.crash();
        awaitNotReadyButServing("PostgreSQL crashed");
        long ackedDuringOutage = run.acked();
        // The node keeps trying: its outage ends only with the database back.
        NodeProcess.await("a few reopen attempts", DEADLINE, () -> node.output().split("reopen attempt", -1).length > 3);
        assertTrue(node.isAlive(), node.tail(30));

        pg.startServer();
        NodeProcess.await("the node ready again", DEADLINE, this::ready);
        NodeProcess.await("writes acknowledged again", DEADLINE, () -> run.acked() > ackedDuringOutage + 50);
        run.stop();
        verify(history);
        assertEquals(1.0, node.metric("corral_storage_available").orElseThrow());
        assertTrue(node.metric("corral_storage_failures_total").orElseThrow() >= 1);
    }

    @Test
    void sqliteOnAFullDiskRefusesWritesSurvivesARestartAndResumesOnceSpaceIsFreed() throws Exception {
        Path mount = smallFilesystem();
        Path dataDir = mount.resolve("data");
        Path log = CrashRecoveryIT.logFile("StorageOutageIT-sqlite.log");
        node = NodeProcess.startReady(dataDir, log, Map.of());
        History history = new History();
        Workload workload = new Workload(history, WRITERS, seed());
        workload.createParents(node);
        Workload.Run run = workload.start(node, 1);
        NodeProcess.await("200 acknowledged writes", DEADLINE, () -> run.acked() >= 200);

        Path filler = mount.resolve("filler");
        fill(filler);
        // Writes go on until the log needs a page the disk does not have.
        awaitNotReadyButServing("the disk is full");
        run.stop();

        // A restart on the full disk: the node starts, recovers its log, fails its first write and stays up.
        node.stop();
        long restartOffset = NodeProcess.size(log);
        node = NodeProcess.start(dataDir, log, Map.of());
        NodeProcess.await("the restarted node to recover and fail its first write", DEADLINE,
                () -> !node.isAlive() || node.outputSince(restartOffset).contains("storage failed"));
        assertTrue(node.isAlive(), "the node exited after a restart on a full disk:\n" + node.tail(40));
        assertEquals(200, node.get("/q/health/live").status());
        NodeProcess.Reply ready = node.get("/q/health/ready");
        assertEquals(503, ready.status(), ready.body());
        NodeProcess.Reply write = node.post("/v1/nodes/crash/while-full", "{}");
        assertEquals(503, write.status(), write.body());

        Files.delete(filler);
        NodeProcess.await("the node ready again", DEADLINE, this::ready);
        verify(history);
        Workload.Run after = workload.start(node, 2);
        NodeProcess.await("writes acknowledged again", DEADLINE, () -> after.acked() >= 50);
        after.stop();
        verify(history);
    }

    // ---- checks ----

    /** The node stays up and live, is not ready, refuses writes with 503 NOT_READONLY and Retry-After, and serves reads. */
    private void awaitNotReadyButServing(String why) throws IOException {
        NodeProcess.await("the node to report not ready after " + why, DEADLINE, () -> !node.isAlive() || !ready());
        assertTrue(node.isAlive(), "the node exited when " + why + ":\n" + node.tail(40));
        assertEquals(200, node.get("/q/health/live").status(), "liveness");
        NodeProcess.Reply ready = node.get("/q/health/ready");
        assertEquals(503, ready.status(), ready.body());
        assertTrue(ready.body().contains("storage unavailable"), "readiness should say why: " + ready.body());

        NodeProcess.Reply write = node.post("/v1/nodes/crash/during-the-outage", "{\"data\":\"" + b64("x") + "\"}");
        assertEquals(503, write.status(), write.body());
        assertEquals("NOT_READONLY", write.json().path("code").asText(), write.body());
        assertTrue(write.json().path("message").asText().contains("cannot take writes"), write.body());
        assertNotNull(write.retryAfter(), "a 503 carries Retry-After");

        NodeProcess.Reply read = node.get("/v1/nodes/crash");
        assertEquals(200, read.status(), "reads go on during the outage: " + read.body());
        assertEquals(0.0, node.metric("corral_storage_available").orElseThrow());
    }

    private boolean ready() {
        try {
            return node.get("/q/health/ready", Duration.ofSeconds(10)).status() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** Every acknowledged write is readable, every in-doubt one resolved, and no anomaly was seen. */
    private void verify(History history) throws IOException, InterruptedException {
        Verifier.Report report = new Verifier(node, readers).verify(history);
        List<String> problems = new ArrayList<>(report.problems());
        problems.addAll(history.anomalies());
        assertTrue(problems.isEmpty(), problems.size() + " problems, first ones:\n  "
                + String.join("\n  ", problems.subList(0, Math.min(30, problems.size()))) + "\n" + node.tail(30));
        System.out.printf("StorageOutageIT: %d writes acknowledged, %d in doubt (%d applied, %d not); %d znodes verified%n",
                history.acked.get(), history.unknown.get(), report.unknownApplied(), report.unknownNotApplied(), report.znodesChecked());
    }

    // ---- a small filesystem ----

    /** A 16 MiB tmpfs of the test's own, unmounted afterwards; the test is skipped where mounting is not permitted. */
    private Path smallFilesystem() throws Exception {
        Path dir = Files.createTempDirectory("corral-full-disk-");
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean mounted = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        if (!mounted) {
            Files.delete(dir);
            Assumptions.abort("cannot mount a 16 MiB tmpfs here (mount needs root): " + out.strip());
        }
        cleanup.add(() -> {
            if (node != null) node.close();
            new ProcessBuilder("umount", "-l", dir.toString()).start().waitFor(60, TimeUnit.SECONDS);
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        });
        return dir;
    }

    /** Writes {@code file} until the filesystem has no space left. */
    private static void fill(Path file) throws IOException {
        byte[] chunk = new byte[64 << 10];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) out.write(chunk);
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) throw e;
        }
    }

    private static long seed() {
        long seed = Long.getLong("corral.crash.seed", new SecureRandom().nextLong());
        System.out.println("StorageOutageIT: seed " + seed);
        return seed;
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
