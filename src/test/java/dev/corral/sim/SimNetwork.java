package dev.corral.sim;

import dev.corral.consensus.Message;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The network between nodes: decides, for each message sent, whether and when copies of it arrive. Messages
 * are lost, delayed (which reorders them), duplicated, and dropped between the sides of a partition, both
 * when sent and when they would arrive. Every decision comes from the simulation's generator.
 */
final class SimNetwork {
    private final RandomGenerator rng;
    private final SimOptions options;
    /** Links cut by the current partition, by sender and receiver id (index 0 unused). */
    private final boolean[][] blocked;
    private boolean healed;
    long sent;
    long lost;
    long duplicated;
    long cut;

    SimNetwork(RandomGenerator rng, SimOptions options) {
        this.rng = rng;
        this.options = options;
        this.blocked = new boolean[options.nodes() + 1][options.nodes() + 1];
    }

    /** Delays after which copies of {@code m} arrive: none if it is lost, two if it is duplicated. */
    List<Long> send(Message m) {
        sent++;
        if (!connected(m.from(), m.to())) {
            cut++;
            return List.of();
        }
        double loss = healed ? 0 : options.lossRate();
        if (rng.nextDouble() < loss) {
            lost++;
            return List.of();
        }
        List<Long> out = new ArrayList<>(2);
        out.add(delay());
        if (rng.nextDouble() < options.duplicateRate()) {
            duplicated++;
            out.add(delay());
        }
        return out;
    }

    private long delay() {
        long max = healed ? Math.min(options.delayMaxMs(), options.healedLatencyMaxMs()) : options.delayMaxMs();
        long min = Math.min(options.delayMinMs(), max);
        long d = min + rng.nextLong(max - min + 1);
        if (!healed && rng.nextDouble() < options.slowRate()) d += rng.nextLong(10L * options.delayMaxMs() + 1);
        return d;
    }

    /** True if a message from {@code from} to {@code to} can get through now. */
    boolean connected(int from, int to) {
        return !blocked[from][to];
    }

    /**
     * Cuts links at random: splits the nodes into two sides, or cuts one node's inbound or outbound links only
     * (an asymmetric fault: it hears but is not heard, or the reverse), often the leader's ({@code leader}, 0 if
     * none is known). Returns a description.
     */
    String partition(int leader) {
        int n = options.nodes();
        if (n < 2) return "no partition possible";
        healPartition();
        int kind = rng.nextInt(4);
        if (kind < 2) {
            int[] side = new int[n + 1];
            do {
                for (int i = 1; i <= n; i++) side[i] = rng.nextInt(2);
            } while (allSame(side));
            for (int a = 1; a <= n; a++) for (int b = 1; b <= n; b++) blocked[a][b] = side[a] != side[b];
            return "partition " + Arrays.toString(Arrays.copyOfRange(side, 1, n + 1));
        }
        int x = leader != 0 && rng.nextBoolean() ? leader : 1 + rng.nextInt(n);
        for (int o = 1; o <= n; o++) {
            if (o == x) continue;
            if (kind == 2) blocked[o][x] = true;
            else blocked[x][o] = true;
        }
        return (kind == 2 ? "inbound" : "outbound") + " links of node " + x + " cut";
    }

    /** Cuts every link out of {@code x}: it hears the others, but nothing it sends arrives. */
    String cutOutbound(int x) {
        healPartition();
        for (int o = 1; o <= options.nodes(); o++) if (o != x) blocked[x][o] = true;
        return "outbound links of node " + x + " cut";
    }

    private static boolean allSame(int[] s) {
        for (int i = 2; i < s.length; i++) if (s[i] != s[1]) return false;
        return true;
    }

    void healPartition() {
        for (boolean[] row : blocked) Arrays.fill(row, false);
    }

    /** Liveness mode: no partitions, no loss, no slow messages and normal latencies from now on. */
    void heal() {
        healPartition();
        healed = true;
    }
}
