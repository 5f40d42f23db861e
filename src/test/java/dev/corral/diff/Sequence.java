package dev.corral.diff;

import dev.corral.tree.CreateMode;
import dev.corral.tree.Stat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;

/**
 * One seeded sequence: the same steps sent to ZooKeeper and to Corral, in their own subtree, the answers compared
 * step by step; then every znode the sequence created is compared as it is left, and the order of the zxids.
 *
 * <p>Both servers remove empty containers (that once had a child) and expired TTL znodes on timers of their own.
 * So that no step races a removal, after each step the runner asks ZooKeeper which of the sequence's containers
 * and short-TTL znodes are due, and waits, with a deadline, until each is gone from both servers.
 */
final class Sequence {
    private static final Duration REMOVAL_DEADLINE = Duration.ofSeconds(15);
    private static final long POLL_MS = 5;

    /** A sequence that went differently on the two servers. */
    record Failure(long seed, String report) {}

    private enum Removable { CONTAINER, SHORT_TTL }

    private final long seed;
    private final String root;
    private final ZooKeeperSide zookeeper;
    private final Side corral;
    private final Generator generator;
    private final Normalizer zkView;
    private final Normalizer corralView;
    private final List<String> history = new ArrayList<>();
    /** The sequence's containers and short-TTL znodes, by path, as last created there. */
    private final Map<String, Removable> removable = new LinkedHashMap<>();
    /** Outcomes seen, by step kind and ZooKeeper's answer (shared by the sequences of a run, so thread-safe). */
    private final ConcurrentMap<String, Long> coverage;
    private int stepsRun;

    Sequence(long seed, String root, ZooKeeperSide zookeeper, Side corral, ConcurrentMap<String, Long> coverage) {
        this.coverage = coverage;
        this.seed = seed;
        this.root = root;
        this.zookeeper = zookeeper;
        this.corral = corral;
        this.generator = new Generator(seed, root, zookeeper);
        this.zkView = new Normalizer(zookeeper);
        this.corralView = new Normalizer(corral);
    }

    /** Steps sent so far (to both servers). */
    int stepsRun() {
        return stepsRun;
    }

    /**
     * Runs the sequence; null if both servers behaved the same. An error on the way (a server error, a step that
     * timed out) is a failure of this seed too, reported with its steps. The caller closes the sides' sessions.
     */
    Failure run() {
        try {
            return compareAll();
        } catch (Exception | AssertionError e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            return failure("step " + (history.size() - 1) + " failed with " + trace);
        }
    }

    private Failure compareAll() throws Exception {
        List<Step> steps = new ArrayList<>(generator.opening());
        steps.add(new Step.Create(0, root, new byte[0], null, CreateMode.PERSISTENT, -1));
        for (Step step : steps) {
            String difference = compare(step);
            if (difference != null) return failure(difference);
        }
        int n = generator.steps();
        for (int i = 0; i < n; i++) {
            String difference = compare(generator.next());
            if (difference != null) return failure(difference);
        }
        String difference = compareLeftovers();
        if (difference == null) difference = orderDifference();
        return difference == null ? null : failure(difference);
    }

    private String compare(Step step) throws Exception {
        history.add(Step.describe(step));
        stepsRun++;
        Outcome zk = zookeeper.run(step);
        Outcome co = corral.run(step);
        coverage.merge(step.getClass().getSimpleName() + " " + zk.code(), 1L, Long::sum);
        zkView.actors(generator.actorsOpened());
        corralView.actors(generator.actorsOpened());
        String zkText = zkView.render(zk);
        String coText = corralView.render(co);
        if (!zkText.equals(coText)) {
            return "step " + (history.size() - 1) + ": " + Step.describe(step) + "\n  ZooKeeper: " + zkText + "\n  Corral:    " + coText;
        }
        learn(step, zk);
        return awaitRemovals();
    }

    /** Feeds what ZooKeeper created back to the generator and notes what its timers may remove. */
    private void learn(Step step, Outcome zk) {
        if (step instanceof Step.Create c && Outcome.OK.equals(zk.code())) {
            created(c, zk.path());
        } else if (step instanceof Step.Multi m && Outcome.OK.equals(zk.code())) {
            for (int i = 0; i < m.ops().size(); i++) {
                if (m.ops().get(i) instanceof Step.Create c) created(c, zk.results().get(i).path());
            }
        }
    }

    private void created(Step.Create c, String path) {
        generator.created(path, c.mode());
        if (c.mode() == CreateMode.CONTAINER) {
            removable.put(path, Removable.CONTAINER);
        } else if (c.mode().isTtl() && c.ttlMs() <= Generator.SHORT_TTL_MAX_MS) {
            removable.put(path, Removable.SHORT_TTL);
        } else {
            removable.remove(path);
        }
    }

    /**
     * Waits until no znode of the sequence is due for removal on ZooKeeper, and every znode ZooKeeper removed is
     * gone from Corral too; null, or the znode Corral kept.
     */
    private String awaitRemovals() throws Exception {
        boolean again = true;
        while (again) {
            // A removal can make the parent container due: look again until a pass removes nothing.
            again = false;
            for (var it = removable.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                String path = e.getKey();
                Stat now = zookeeper.current(path);
                boolean due = now != null && now.numChildren() == 0 && (e.getValue() == Removable.SHORT_TTL || now.cversion() > 0);
                if (now != null && !due) continue;
                boolean waited = due || !corral.absent(path);
                if (due && !await(zookeeper, path)) return "ZooKeeper did not remove " + e.getValue() + " " + path + " in time";
                if (!await(corral, path)) {
                    return "ZooKeeper removed " + e.getValue() + " " + path + " (no children"
                            + (e.getValue() == Removable.CONTAINER ? ", had one" : ", TTL passed") + ") but Corral still has it after "
                            + REMOVAL_DEADLINE.toSeconds() + " s";
                }
                it.remove();
                again = true;
                if (waited) coverage.merge("removal awaited: " + e.getValue(), 1L, Long::sum);
            }
        }
        return null;
    }

    private static boolean await(Side side, String path) throws InterruptedException {
        long deadline = System.nanoTime() + REMOVAL_DEADLINE.toNanos();
        while (!side.absent(path)) {
            if (System.nanoTime() - deadline > 0) return false;
            Thread.sleep(POLL_MS);
        }
        return true;
    }

    /** Every znode the sequence created, as each server left it: data, ACL and Stat. */
    private String compareLeftovers() {
        zkView.actors(generator.actorsOpened());
        corralView.actors(generator.actorsOpened());
        for (String path : generator.knownPaths()) {
            String zk = zkView.render(zookeeper.peek(path));
            String co = corralView.render(corral.peek(path));
            if (!zk.equals(co)) return "after the last step, " + path + "\n  ZooKeeper: " + zk + "\n  Corral:    " + co;
        }
        return null;
    }

    private String orderDifference() {
        String d = Normalizer.sameOrder(zkView, corralView);
        return d == null ? null : "zxids out of order: " + d;
    }

    private Failure failure(String difference) {
        StringBuilder b = new StringBuilder("seed ").append(seed).append(": ").append(difference).append("\n  steps:\n");
        for (int i = 0; i < history.size(); i++) b.append("    ").append(i).append(": ").append(history.get(i)).append('\n');
        b.append("  replay: ./mvnw -B test -Dtest=ZooKeeperDifferentialTest -Dzkdiff.seed=").append(seed)
                .append(" -Dzkdiff.sequences=1");
        return new Failure(seed, b.toString());
    }
}
