package dev.corral.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.consensus.Message;
import dev.corral.peer.PeerCodec;
import dev.corral.peer.PeerRoutes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Black-box tests of a three-member cluster of real node processes on loopback ({@link Cluster}): members killed
 * with {@code kill -9}, paused with SIGSTOP, all restarted at once, restarted from an empty data directory, while
 * clients write through every member. After each, every acknowledged write is on every member, writes whose outcome
 * was unknown are resolved to present or absent the same way everywhere, and the members hold the same tree.
 *
 * <p>The writes are {@link Workload}'s (threads owning their znodes, unique payloads, the {@link History} model,
 * checked by {@link Verifier}); the register test records a history for the linearizability checker
 * ({@link RegisterWorkload}). Times (failover, catch-up) are printed as {@code CLUSTER-FIGURES} lines, never
 * asserted. Member output is kept in {@code target/cluster-it/}. The seed picks payloads and operations (thread timing
 * is not reproducible); set it with {@code -Dcorral.cluster.seed=…}.
 */
class ClusterIT {
    private static final int WRITERS = 8;
    private static final Duration PROGRESS_DEADLINE = Duration.ofSeconds(90);
    private static final Map<String, String> SNAPSHOT_ENV = NodeProcess.env("CORRAL_SNAPSHOT_EVERY_ENTRIES", "200",
            "CORRAL_SNAPSHOT_KEEP_ENTRIES", "50");

    @TempDir
    Path work;

    private Cluster cluster;
    private ExecutorService readers;
    private ScheduledExecutorService heartbeats;
    private final AtomicInteger roundRobin = new AtomicInteger();
    private final AtomicInteger sticky = new AtomicInteger(1);
    private long seed;

    @BeforeEach
    void setUp() {
        readers = Executors.newFixedThreadPool(8);
        heartbeats = Executors.newSingleThreadScheduledExecutor();
        seed = Long.getLong("corral.cluster.seed", new SecureRandom().nextLong());
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        heartbeats.shutdownNow();
        if (cluster != null) cluster.close();
        readers.shutdownNow();
        heartbeats.awaitTermination(30, TimeUnit.SECONDS);
    }

    // ---- 1. leader killed under load ----

    @Test
    void everyAcknowledgedWriteSurvivesKillNineOfTheLeaderUnderLoadAndTheRestartedNodeCatchesUp() throws Exception {
        cluster = Cluster.start(work, "leader-kill", 3, Map.of());
        History history = new History();
        Workload workload = startWorkload(history);
        Workload.Run run = workload.start(this::nextRunning, this::stickyRunning, true, 1);
        awaitAcked(history, 400, "writes before the kill");

        int leader = cluster.awaitLeader();
        long ackedAtKill = history.acked.get();
        long killed = System.nanoTime();
        cluster.kill9(leader);
        // Measured, not asserted: from the kill to the first write acknowledged that was sent after it.
        long firstAck = probeUntilAcknowledged("/failover-probe-leader-kill");
        int newLeader = cluster.awaitLeader();
        assertNotEquals(leader, newLeader, "the killed node is still named leader");
        awaitAcked(history, ackedAtKill + 400, "writes through the survivors");
        figure("leader kill: node %d killed, node %d leads; first write acknowledged %d ms after the kill; %d writes acknowledged by then",
                leader, newLeader, ms(firstAck - killed), ackedAtKill);

        long restartStarted = System.nanoTime();
        cluster.restart(leader);
        figure("leader kill: node %d restarted and ready (caught up) in %d ms", leader, ms(System.nanoTime() - restartStarted));
        awaitAcked(history, history.acked.get() + 200, "writes through all three after the restart");
        run.stop();
        verifyEveryMember(history, "after the leader was killed and restarted");
        figure("leader kill: %d writes acknowledged, %d in doubt; all present on all 3 members", history.acked.get(), history.unknown.get());
    }

    // ---- 2. SIGSTOP / SIGCONT ----

    @Test
    void aPausedLeaderIsReplacedStepsDownWhenResumedAndAPausedFollowerCatchesUp() throws Exception {
        cluster = Cluster.start(work, "pause", 3, Map.of());
        History history = new History();
        Workload workload = startWorkload(history);
        Workload.Run run = workload.start(this::nextRunning, this::stickyRunning, true, 1);
        awaitAcked(history, 300, "writes before the pause");

        int leader = cluster.awaitLeader();
        long termBefore = cluster.view(leader).orElseThrow().term();
        long pausedAt = System.nanoTime();
        cluster.pause(leader);
        long firstAck = probeUntilAcknowledged("/failover-probe-pause");
        int newLeader = cluster.awaitLeader();
        assertNotEquals(leader, newLeader);
        long newTerm = cluster.view(newLeader).orElseThrow().term();
        assertTrue(newTerm > termBefore, "new leader at term " + newTerm + ", not above " + termBefore);
        awaitAcked(history, history.acked.get() + 300, "writes while the old leader is paused");
        figure("pause: leader %d paused (SIGSTOP); node %d leads at term %d; first write acknowledged %d ms after the pause", leader, newLeader,
                newTerm, ms(firstAck - pausedAt));

        // Right after SIGCONT the old leader may still believe it leads: a write through it must either go through the
        // new leader or fail cleanly (503 with a code), never be acknowledged by the deposed leader alone.
        cluster.resume(leader);
        NodeProcess old = cluster.node(leader);
        String data = Base64.getEncoder().encodeToString(("through the resumed leader " + seed).getBytes(StandardCharsets.UTF_8));
        NodeProcess.Reply throughOld = old.post("/v1/nodes/through-resumed-leader", "{\"data\":\"" + data + "\"}");
        figure("pause: a write through the resumed old leader %d answered %d %s", leader, throughOld.status(), throughOld.body());
        Boolean mustExist = switch (throughOld.status()) {
            case 201 -> true;
            case 503 -> outcomeUnknown(throughOld) ? null : false;
            default -> throw new AssertionError("a write through the resumed old leader answered " + throughOld.status() + " " + throughOld.body());
        };
        if (throughOld.status() == 503) assertFalse(throughOld.json().path("code").asText().isEmpty(), throughOld.body());
        NodeProcess.await("node " + leader + " steps down and follows a leader at term >= " + newTerm, Cluster.LEADER_DEADLINE, () -> {
            Optional<Cluster.View> v = cluster.view(leader);
            return v.isPresent() && v.get().term() >= newTerm && v.get().leader() != 0
                    && (v.get().leader() != leader || v.get().term() > newTerm);
        });
        cluster.awaitReady(leader);
        cluster.awaitLeader();
        awaitAcked(history, history.acked.get() + 200, "writes after the old leader resumed");

        int leaderNow = cluster.awaitLeader();
        int follower = cluster.follower(leaderNow);
        cluster.pause(follower);
        awaitAcked(history, history.acked.get() + 300, "writes while a follower is paused");
        cluster.resume(follower);
        long resumed = System.nanoTime();
        cluster.awaitReady(follower);
        figure("pause: follower %d resumed and ready in %d ms", follower, ms(System.nanoTime() - resumed));
        awaitAcked(history, history.acked.get() + 100, "writes after the follower resumed");
        run.stop();
        verifyEveryMember(history, "after pausing the leader and a follower");
        for (int id : cluster.running()) {
            NodeProcess.Reply r = readAfter(cluster.node(id), "/through-resumed-leader", history.maxAckedZxid());
            if (mustExist == null) mustExist = r.status() == 200;
            assertEquals(mustExist ? 200 : 404, r.status(), "node " + id + ": the write through the resumed leader (answered "
                    + throughOld.status() + ") reads " + r.body());
            if (mustExist) assertEquals(data, r.json().path("data").asText());
        }
    }

    // ---- 3. all members killed at once ----

    @Test
    void afterKillNineOfEveryMemberAtOnceAllAcknowledgedWritesAreThereAndWritesContinue() throws Exception {
        cluster = Cluster.start(work, "all-down", 3, Map.of());
        History history = new History();
        Workload workload = startWorkload(history);
        Workload.Run run = workload.start(this::nextRunning, this::stickyRunning, true, 1);
        awaitAcked(history, 500, "writes before the kill");
        for (int id = 1; id <= 3; id++) cluster.kill9(id);
        run.stop();

        long restarted = System.nanoTime();
        for (int id = 1; id <= 3; id++) cluster.launch(id);
        for (int id = 1; id <= 3; id++) cluster.awaitReady(id);
        int leader = cluster.awaitLeader();
        figure("all down: all 3 restarted, node %d leads, all ready in %d ms", leader, ms(System.nanoTime() - restarted));
        verifyEveryMember(history, "after every member was killed and restarted");

        Workload.Run again = workload.start(this::nextRunning, this::stickyRunning, true, 2);
        awaitAcked(history, history.acked.get() + 300, "writes after the restart");
        again.stop();
        verifyEveryMember(history, "after writing again");
    }

    // ---- 4. a follower restarted from an empty data directory ----

    @Test
    void aFollowerRestartedFromAWipedDataDirectoryCatchesUpThroughASnapshot() throws Exception {
        cluster = Cluster.start(work, "wiped", 3, SNAPSHOT_ENV);
        History history = new History();
        Workload workload = startWorkload(history);
        Workload.Run run = workload.start(this::nextRunning, this::stickyRunning, true, 1);
        awaitAcked(history, 200, "writes before the follower is stopped");

        int leader = cluster.awaitLeader();
        int follower = cluster.follower(leader);
        cluster.stop(follower);
        cluster.wipe(follower);
        // The others must have compacted their logs past the start, so that the wiped follower needs a snapshot.
        NodeProcess.await("both remaining members snapshot and compact their logs", PROGRESS_DEADLINE,
                () -> cluster.running().stream().allMatch(id -> compacted(cluster.node(id))));
        long offset = NodeProcess.size(cluster.node(follower).logFile);
        long started = System.nanoTime();
        cluster.restart(follower);
        figure("wiped: follower %d restarted on an empty data directory and ready in %d ms", follower, ms(System.nanoTime() - started));
        String out = cluster.node(follower).outputSince(offset);
        assertTrue(out.contains("installed the leader's snapshot"), "the wiped follower did not install a snapshot:\n" + cluster.node(follower).tail(60));
        // It knew its storage was lost (the others have a history), so it took a term above theirs and did not vote
        // until it had caught up.
        assertTrue(out.contains("started on empty storage in a cluster that has a history"),
                "the wiped follower did not treat its storage as lost:\n" + cluster.node(follower).tail(60));
        awaitAcked(history, history.acked.get() + 200, "writes after the wiped follower came back");
        run.stop();
        verifyEveryMember(history, "after a follower came back from a wiped data directory");
    }

    // ---- 5. registers: a history for the linearizability checker ----

    @Test
    void registerHistoryWithLinearizableReadsWritesAndCompareAndSetIsLinearizableAcrossALeaderKill() throws Exception {
        cluster = Cluster.start(work, "registers", 3, Map.of());
        RegisterWorkload registers = new RegisterWorkload(List.of("/reg/k0", "/reg/k1", "/reg/k2", "/reg/k3"), 6, this::randomRunning, seed);
        int leader = cluster.awaitLeader();
        assertEquals(201, cluster.node(leader).post("/v1/nodes/reg", "{}").status());
        registers.createKeys(cluster.node(leader));
        registers.start();
        awaitOk(registers, 300);

        leader = cluster.awaitLeader();
        long before = registers.okCount.get();
        cluster.kill9(leader);
        awaitOk(registers, before + 300);
        cluster.restart(leader);
        awaitOk(registers, registers.okCount.get() + 300);
        registers.stop();

        List<String> problems = registers.check();
        figure("registers: %d operations %s; leader %d killed and restarted", registers.ops().size(), registers.outcomes(), leader);
        assertTrue(problems.isEmpty(), problems.size() + " violations (seed " + seed + "), first ones:\n  "
                + String.join("\n  ", problems.subList(0, Math.min(20, problems.size()))));
    }

    // ---- 6. internal endpoints ----

    @Test
    void internalEndpointsRefuseRequestsWithoutTheClusterSecretAndAreNotInTheOpenApiDocument() throws Exception {
        cluster = Cluster.start(work, "internal", 3, Map.of());
        int leader = cluster.awaitLeader();
        int target = cluster.follower(leader);
        NodeProcess node = cluster.node(target);
        NodeProcess.Reply opened = node.post("/v1/sessions", "{\"timeoutMs\":10000}");
        assertEquals(201, opened.status(), opened.body());
        String sessionSecret = opened.json().path("secret").asText();

        Cluster.View before = cluster.view(target).orElseThrow();
        long forgedTerm = before.term() + 1_000_000;
        // A heartbeat from the leader at a far higher term: a member that took it would follow at that term.
        byte[] forged = PeerCodec.encodeMessages(List.of(new Message.Append(leader, target, forgedTerm, 0, 0, List.of(), 0)));
        Duration t = Duration.ofSeconds(10);
        List<String[]> refusedHeaders = List.of(new String[] {}, new String[] {PeerRoutes.SECRET_HEADER, "wrong-" + cluster.secret},
                new String[] {PeerRoutes.SECRET_HEADER, ""}, new String[] {"Corral-Session-Secret", sessionSecret},
                new String[] {PeerRoutes.SECRET_HEADER, sessionSecret});
        for (String[] headers : refusedHeaders) {
            NodeProcess.Reply r = node.postBytes("/internal/raft", forged, t, headers);
            assertEquals(401, r.status(), "POST /internal/raft with " + List.of(headers) + ": " + r.body());
            assertEquals("AUTH_FAILED", r.json().path("code").asText(), r.body());
        }
        NodeProcess.Reply snapshot = node.request("GET", "/internal/snapshot?index=1&term=1", null, t, "Corral-Session-Secret", sessionSecret);
        assertEquals(401, snapshot.status(), snapshot.body());
        NodeProcess.Reply forward = node.request("POST", "/internal/forward", "{}", t, PeerRoutes.SECRET_HEADER, "nope");
        assertEquals(401, forward.status(), forward.body());
        NodeProcess.Reply term = node.postBytes("/internal/term", new byte[0], t);
        assertEquals(401, term.status(), term.body());
        Cluster.View after = cluster.view(target).orElseThrow();
        assertTrue(after.term() < forgedTerm, "the forged heartbeat moved node " + target + " to term " + after.term());

        String openapi = node.get("/q/openapi").body();
        assertTrue(openapi.contains("/v1/nodes"), "the OpenAPI document does not describe the client API:\n" + openapi);
        assertFalse(openapi.contains("/internal"), "the OpenAPI document mentions /internal");

        // The same request with the secret is taken: the check above could fail.
        NodeProcess.Reply taken = node.postBytes("/internal/raft", forged, t, PeerRoutes.SECRET_HEADER, cluster.secret);
        assertEquals(204, taken.status(), taken.body());
        NodeProcess.await("node " + target + " takes the forged term from an authenticated request", Duration.ofSeconds(30),
                () -> cluster.view(target).map(v -> v.term() >= forgedTerm).orElse(false));
    }

    // ---- 7. a member cut off from the others ----

    @Test
    void aMemberCutOffFromBothOthersReportsNotReadyAndRefusesWritesWith503() throws Exception {
        cluster = Cluster.start(work, "cut-off", 3, Map.of());
        for (int round = 1; round <= 2; round++) {
            int leader = cluster.awaitLeader();
            // Round 1 leaves the leader alone (it must notice it lost its quorum); round 2 leaves a follower alone.
            int alone = round == 1 ? leader : cluster.follower(leader);
            NodeProcess node = cluster.node(alone);
            NodeProcess.Reply first = node.post("/v1/nodes/cut-off-" + round, "{}");
            assertEquals(201, first.status(), first.body());
            for (int id = 1; id <= 3; id++) if (id != alone) cluster.pause(id);
            long pausedAt = System.nanoTime();

            List<String> answers = new ArrayList<>();
            int i = 0;
            // Measured, not asserted: how long the first write, sent as the others stop, waits for its answer.
            long firstSent = System.nanoTime();
            answers.add(expect503(node, "/cut-off-" + round + "/while-ready-" + i++));
            long firstAnsweredMs = ms(System.nanoTime() - firstSent);
            while (cluster.ready(alone)) {
                answers.add(expect503(node, "/cut-off-" + round + "/while-ready-" + i++));
                if (System.nanoTime() - pausedAt > PROGRESS_DEADLINE.toNanos()) {
                    throw new AssertionError("node " + alone + " still ready " + PROGRESS_DEADLINE + " after both others were paused:\n" + node.tail(40));
                }
            }
            long notReadyMs = ms(System.nanoTime() - pausedAt);
            for (int k = 0; k < 3; k++) answers.add(expect503(node, "/cut-off-" + round + "/not-ready-" + k));
            figure("cut off (%s alone): node %d not ready %d ms after the others were paused; the first write answered in %d ms; writes answered %s",
                    round == 1 ? "leader" : "follower", alone, notReadyMs, firstAnsweredMs, answers);

            for (int id = 1; id <= 3; id++) if (id != alone) cluster.resume(id);
            for (int id = 1; id <= 3; id++) cluster.awaitReady(id);
            int after = cluster.awaitLeader();
            NodeProcess.Reply again = cluster.node(alone).post("/v1/nodes/cut-off-" + round + "/after", "{}");
            assertEquals(201, again.status(), "node " + alone + " after the others resumed (leader " + after + "): " + again.body());
            for (int id = 1; id <= 3; id++) {
                NodeProcess.Reply r = readAfter(cluster.node(id), "/cut-off-" + round + "?children=true", again.zxid());
                assertEquals(200, r.status(), r.body());
                List<String> children = new ArrayList<>();
                r.json().path("children").forEach(c -> children.add(c.asText()));
                // Writes that answered 503 with an unknown outcome may have been applied; the others must not be.
                for (String c : children) {
                    assertTrue(c.equals("after") || c.startsWith("while-ready-") || c.startsWith("not-ready-"), "node " + id + ": " + children);
                }
                assertTrue(children.contains("after"), "node " + id + ": " + children);
            }
        }
    }

    /** A write to a node that has no quorum: must answer 503 with a JSON code (never 2xx); returns "status code". */
    private static String expect503(NodeProcess node, String path) throws IOException {
        NodeProcess.Reply r = node.post("/v1/nodes" + path, "{}");
        assertEquals(503, r.status(), "a write to a node without a quorum answered " + r.status() + " " + r.body());
        String code = r.json().path("code").asText();
        assertFalse(code.isEmpty(), r.body());
        return code;
    }

    // ---- helpers ----

    private Workload startWorkload(History history) throws IOException {
        System.out.println("ClusterIT: seed " + seed);
        Workload workload = new Workload(history, WRITERS, seed);
        workload.createParents(cluster.node(cluster.awaitLeader()));
        heartbeats.scheduleWithFixedDelay(() -> workload.keepAlive(nextRunning()), 0, 2, TimeUnit.SECONDS);
        return workload;
    }

    /** The running members in turn, one per call: clients spread their requests over all of them. */
    private NodeProcess nextRunning() {
        List<Integer> up = cluster.running();
        if (up.isEmpty()) return cluster.node(1 + Math.floorMod(roundRobin.getAndIncrement(), cluster.size));
        return cluster.node(up.get(Math.floorMod(roundRobin.getAndIncrement(), up.size())));
    }

    /**
     * One running member, the same until it stops running. The sessions thread acts as its sessions through it, as a
     * ZooKeeper client keeps its session on one server until that fails: a member checks a session against its own
     * tree, so a member that has not yet applied a session just opened elsewhere answers SESSION_EXPIRED.
     */
    private NodeProcess stickyRunning() {
        List<Integer> up = cluster.running();
        int current = sticky.get();
        if (up.contains(current)) return cluster.node(current);
        int next = up.isEmpty() ? 1 + Math.floorMod(current, cluster.size) : up.get(Math.floorMod(current, up.size()));
        sticky.set(next);
        return cluster.node(next);
    }

    private NodeProcess randomRunning(int r) {
        List<Integer> up = cluster.running();
        if (up.isEmpty()) return cluster.node(1 + r % cluster.size);
        return cluster.node(up.get(r % up.size()));
    }

    private void awaitAcked(History history, long target, String what) {
        try {
            NodeProcess.await(target + " acknowledged " + what, PROGRESS_DEADLINE, () -> history.acked.get() >= target || !history.anomalies().isEmpty());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " (" + history.acked.get() + " so far, " + history.unknown.get() + " in doubt)" + cluster.tails(30), e);
        }
        assertTrue(history.anomalies().isEmpty(), "anomalies: " + history.anomalies() + cluster.tails(30));
    }

    private void awaitOk(RegisterWorkload w, long target) {
        try {
            NodeProcess.await(target + " successful register operations", PROGRESS_DEADLINE, () -> w.okCount.get() >= target);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " (" + w.okCount.get() + " so far: " + w.outcomes() + ")" + cluster.tails(30), e);
        }
    }

    /**
     * Writes {@code path}-n through the running members, one request at a time, until one is acknowledged; returns
     * when that answer arrived. The probes stay out of the workload's {@code /crash} tree.
     */
    private long probeUntilAcknowledged(String path) throws IOException {
        long deadline = System.nanoTime() + PROGRESS_DEADLINE.toNanos();
        for (int n = 0; ; n++) {
            NodeProcess node = nextRunning();
            try {
                NodeProcess.Reply r = node.post("/v1/nodes" + path + "-" + n, "{}");
                if (r.status() == 201) return System.nanoTime();
            } catch (IOException e) {
                // Down or paused: the next member.
            }
            if (System.nanoTime() - deadline > 0) throw new AssertionError("no write acknowledged within " + PROGRESS_DEADLINE + cluster.tails(40));
            NodeProcess.pause();
        }
    }

    /**
     * Brings every running member to the same applied zxid (at least the highest acknowledged), checks each against
     * the history (which resolves writes of unknown outcome on the first member; the others must agree), and
     * compares their trees znode by znode: data, Stat and children.
     */
    private void verifyEveryMember(History history, String when) throws Exception {
        int leader = cluster.awaitLeader();
        NodeProcess.Reply sync = cluster.node(leader).post("/v1/sync", "");
        assertEquals(200, sync.status(), sync.body());
        long zxid = Math.max(history.maxAckedZxid(), sync.json().path("zxid").asLong());
        List<String> problems = new ArrayList<>(history.anomalies());
        Map<Integer, Map<String, Verifier.Seen>> trees = new TreeMap<>();
        for (int id : cluster.running()) {
            NodeProcess node = cluster.node(id);
            NodeProcess.Reply r = readAfter(node, "", zxid);
            assertEquals(200, r.status(), "node " + id + " did not reach zxid " + zxid + ": " + r.body());
            Verifier verifier = new Verifier(node, readers);
            Verifier.Report report = verifier.verify(history);
            for (String p : report.problems()) problems.add("node " + id + ": " + p);
            trees.put(id, new Verifier(node, readers).walk());
            figure("verify %s: node %d holds %d znodes, %d in the history; in-doubt writes %d applied / %d not", when, id, report.znodesInTree(),
                    report.znodesChecked(), report.unknownApplied(), report.unknownNotApplied());
        }
        problems.addAll(compareTrees(trees));
        assertTrue(problems.isEmpty(), when + " (seed " + seed + "): " + problems.size() + " problems, first ones:\n  "
                + String.join("\n  ", problems.subList(0, Math.min(30, problems.size()))) + cluster.tails(30));
    }

    /** Every member's tree equals the first one's, znode by znode. */
    private static List<String> compareTrees(Map<Integer, Map<String, Verifier.Seen>> trees) {
        List<String> problems = new ArrayList<>();
        Map.Entry<Integer, Map<String, Verifier.Seen>> first = trees.entrySet().iterator().next();
        for (Map.Entry<Integer, Map<String, Verifier.Seen>> other : trees.entrySet()) {
            if (other.getKey().equals(first.getKey())) continue;
            for (Verifier.Seen a : first.getValue().values()) {
                Verifier.Seen b = other.getValue().get(a.path());
                String where = "node " + other.getKey() + " vs node " + first.getKey() + ": " + a.path();
                if (b == null) problems.add(where + " missing");
                else if (!History.same(a.data(), b.data()) || !a.stat().equals(b.stat()) || !a.children().equals(b.children())) {
                    problems.add(where + " differs: " + b.stat() + " " + b.children().size() + " children / " + a.stat() + " " + a.children().size());
                }
            }
            for (String path : other.getValue().keySet()) {
                if (!first.getValue().containsKey(path)) problems.add("node " + other.getKey() + " has " + path + ", node " + first.getKey() + " not");
            }
        }
        return problems;
    }

    /** Reads {@code path} (a znode path with query, "" for the root) once the node has applied {@code zxid}. */
    private static NodeProcess.Reply readAfter(NodeProcess node, String path, long zxid) throws IOException {
        String sep = path.contains("?") ? "&" : "?";
        long deadline = System.nanoTime() + Cluster.READY_DEADLINE.toNanos();
        while (true) {
            NodeProcess.Reply r = node.get("/v1/nodes" + path + sep + "minZxid=" + zxid);
            if (r.status() != 503 || System.nanoTime() - deadline > 0) return r;
            NodeProcess.pause();
        }
    }

    private static boolean outcomeUnknown(NodeProcess.Reply r) {
        JsonNode j = r.json();
        return j.path("message").asText().contains("outcome unknown") || j.path("code").asText().equals("OPERATION_TIMEOUT");
    }

    /** A snapshot was written and the log compacted behind it, as the node's metrics tell. */
    private static boolean compacted(NodeProcess node) {
        if (!node.output().contains("snapshot at zxid")) return false;
        try {
            double entries = node.metric("corral_log_entries").orElse(Double.MAX_VALUE);
            double applied = node.metric("corral_applied_zxid").orElse(0.0);
            return entries + 100 < applied;
        } catch (IOException e) {
            return false;
        }
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static void figure(String format, Object... args) {
        System.out.println("CLUSTER-FIGURES " + String.format(format, args));
    }
}
