package dev.corral.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.corral.node.Corral;
import dev.corral.zk.server.ZkServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/**
 * ZooKeeper's semantics are what its server does (issue #6, section 7): the real ZooKeeper 3.9.5 server, started
 * in this JVM, and this Corral node get the same seeded random sequences of requests, ZooKeeper through its
 * official Java client and Corral through its REST API, and must answer the same, step by step: error codes,
 * data, children, ACLs, per-operation multi results and every Stat field, with zxids, session ids and times
 * normalized ({@link Normalizer}). Each sequence works in its own subtree with its own sessions; one server of
 * each kind serves them all.
 *
 * <p>Runs {@value #FIXED_SEQUENCES} fixed seeds and {@value #FRESH_SEQUENCES} fresh ones, {@value #WORKERS} at a
 * time. A sequence that differs prints its seed, its steps and the command that replays it alone. Knobs:
 * {@code -Dzkdiff.seed=N} (start at seed N, no fresh seeds), {@code -Dzkdiff.sequences=M} (run M sequences) and
 * {@code -Dzkdiff.workers=W}. Not {@code corral.*}: the node refuses to start with a property under its own
 * prefix that it does not know, and the test JVM's system properties are the node's too.
 */
@QuarkusTest
class ZooKeeperDifferentialTest {
    private static final int FIXED_SEQUENCES = 200;
    private static final int FRESH_SEQUENCES = 3;
    /** How often ZooKeeper's container manager looks for containers and TTL znodes to remove. */
    private static final int ZOOKEEPER_REAP_INTERVAL_MS = 20;
    private static final Duration READY_DEADLINE = Duration.ofSeconds(60);
    private static final int FAILURES_SHOWN = 5;
    /** Sequences in flight at once. */
    private static final int WORKERS = 8;
    private static final Duration CLEANUP_DEADLINE = Duration.ofSeconds(60);

    @Inject
    Corral corral;

    @Inject
    ZkServer zkServer;

    @Test
    void corralAnswersEverySequenceAsZooKeeperDoes() throws Exception {
        String corralUrl = "http://127.0.0.1:" + RestAssured.port;
        compare("REST", corralUrl, () -> new CorralSide(corralUrl, corral::state));
    }

    /**
     * The same sequences through ZooKeeper's official client on both sides: the real server, and Corral's ZooKeeper
     * client port (issue #8). Everything the client sees (error codes, Stats, multi results, ACLs) must agree.
     */
    @Test
    void corralAnswersOverTheZooKeeperProtocolAsZooKeeperDoes() throws Exception {
        String corralUrl = "http://127.0.0.1:" + RestAssured.port;
        String connect = "127.0.0.1:" + zkServer.port();
        ZooKeeperSide.Tree tree = new ZooKeeperSide.Tree() {
            @Override
            public dev.corral.tree.Stat stat(String path) {
                var node = corral.state().find(path);
                return node == null ? null : node.stat();
            }

            @Override
            public Outcome node(String path) {
                return CorralSide.node(corral.state(), path);
            }
        };
        compare("wire", corralUrl, () -> new ZooKeeperSide("Corral (ZooKeeper protocol)", connect, tree));
    }

    private void compare(String how, String corralUrl, java.util.function.Supplier<Side> corralSide) throws Exception {
        awaitReady(corralUrl);
        Seeds chosen = seeds();
        List<Long> seeds = chosen.all();
        ConcurrentMap<String, Long> coverage = new ConcurrentSkipListMap<>();
        AtomicInteger steps = new AtomicInteger();
        long started = System.nanoTime();
        List<Sequence.Failure> failures;
        try (EmbeddedZooKeeper server = EmbeddedZooKeeper.start(ZOOKEEPER_REAP_INTERVAL_MS)) {
            String runRoot = "/zk-diff-" + Long.toString(System.nanoTime(), 36);
            createOnZooKeeper(server, runRoot);
            createOnCorral(corralUrl, runRoot);
            failures = runAll(seeds, (seed, cleanup) -> {
                ZooKeeperSide zk = new ZooKeeperSide(server);
                Side co = corralSide.get();
                Sequence sequence = new Sequence(seed, runRoot + "/s" + seed, zk, co, coverage);
                Sequence.Failure f = sequence.run();
                steps.addAndGet(sequence.stepsRun());
                // ZooKeeper's client takes about 0.1 s to close a session, and nothing is compared any more.
                cleanup.execute(zk::close);
                cleanup.execute(co::close);
                return f;
            });
        }
        System.out.printf("ZooKeeper differential test (" + how + "): %d sequences (fresh seeds %s), %d steps in %d ms, %d differ%n  outcomes seen: %s%n",
                seeds.size(), chosen.fresh(), steps.get(),
                Duration.ofNanos(System.nanoTime() - started).toMillis(), failures.size(), coverage);
        if (!failures.isEmpty()) {
            StringBuilder b = new StringBuilder(failures.size() + " of " + seeds.size() + " sequences differ (seeds "
                    + failures.stream().map(f -> Long.toString(f.seed())).toList() + "); the first ones:\n");
            failures.stream().limit(FAILURES_SHOWN).forEach(f -> b.append(f.report()).append("\n\n"));
            fail(b.toString());
        }
    }

    /** Runs a seed's sequence (null if the servers agreed), leaving the closing of its sessions to {@code cleanup}. */
    private interface SequenceRun {
        Sequence.Failure run(long seed, Executor cleanup);
    }

    /**
     * Runs every seed's sequence, {@link #workers()} at a time: each has its own subtree and sessions, so they share
     * nothing a sequence compares, and most of a step's time is spent waiting for a commit, not computing.
     */
    private static List<Sequence.Failure> runAll(List<Long> seeds, SequenceRun sequence) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(workers());
        ExecutorService cleanup = Executors.newFixedThreadPool(workers());
        try {
            List<Future<Sequence.Failure>> outcomes = new ArrayList<>();
            for (long seed : seeds) outcomes.add(pool.submit(() -> sequence.run(seed, cleanup)));
            List<Sequence.Failure> failures = new ArrayList<>();
            for (Future<Sequence.Failure> o : outcomes) {
                Sequence.Failure f = o.get();
                if (f != null) failures.add(f);
            }
            return failures;
        } finally {
            pool.shutdownNow();
            // Sessions close before the servers stop, so that no client is left reconnecting to a stopped server.
            cleanup.shutdown();
            if (!cleanup.awaitTermination(CLEANUP_DEADLINE.toSeconds(), TimeUnit.SECONDS)) cleanup.shutdownNow();
        }
    }

    private static int workers() {
        String w = System.getProperty("zkdiff.workers");
        return w == null || w.isBlank() ? WORKERS : Integer.parseInt(w.strip());
    }

    /** The seeds to run, and which of them are fresh (drawn for this run, so printed). */
    private record Seeds(List<Long> all, List<Long> fresh) {}

    private static Seeds seeds() {
        String seed = System.getProperty("zkdiff.seed");
        String count = System.getProperty("zkdiff.sequences");
        List<Long> seeds = new ArrayList<>();
        if (seed != null && !seed.isBlank()) {
            long first = Long.parseLong(seed.strip());
            int n = count == null || count.isBlank() ? 1 : Integer.parseInt(count.strip());
            for (int i = 0; i < n; i++) seeds.add(first + i);
            return new Seeds(seeds, List.of());
        }
        int n = count == null || count.isBlank() ? FIXED_SEQUENCES : Integer.parseInt(count.strip());
        for (long i = 1; i <= n; i++) seeds.add(i);
        SecureRandom random = new SecureRandom();
        List<Long> fresh = new ArrayList<>();
        for (int i = 0; i < FRESH_SEQUENCES; i++) fresh.add(random.nextLong() & Long.MAX_VALUE);
        seeds.addAll(fresh);
        return new Seeds(seeds, fresh);
    }

    private static void awaitReady(String baseUrl) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + READY_DEADLINE.toNanos();
        while (http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/q/health/ready")).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode() != 200) {
            if (System.nanoTime() - deadline > 0) fail("the Corral node was not ready within " + READY_DEADLINE.toSeconds() + " s");
            Thread.sleep(50);
        }
    }

    private static void createOnZooKeeper(EmbeddedZooKeeper server, String path) throws Exception {
        ZooKeeper zk = ZooKeeperSide.connect(server.connectString(), Step.Auth.NONE);
        try {
            zk.create(path, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        } finally {
            zk.close();
        }
    }

    private static void createOnCorral(String baseUrl, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/nodes" + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r::body);
    }
}
