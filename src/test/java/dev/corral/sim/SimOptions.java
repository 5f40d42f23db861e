package dev.corral.sim;

import java.util.random.RandomGenerator;

/**
 * Everything one run of the simulator varies, all drawn from the seed: cluster shape, Raft settings,
 * workload, fault rates and latencies. Times are simulated milliseconds. Varying them per seed is swarm testing:
 * one seed runs with heavy loss and no crashes, another with one entry per append and many torn writes.
 *
 * @param slowRate             chance that a message takes up to ten times the normal maximum delay
 * @param tearRate             chance that a crash tears a write that carries entries
 * @param keepPrefixRate       chance that a crash lets a prefix of the unsynced writes reach the disk
 * @param snapshotEveryEntries a node snapshots its applied state after this many entries; 0 for never
 * @param batchRate            chance that the driver defers {@code process()} after an input, batching
 *                             further inputs; 1 means it always does
 * @param clientTimeoutMs      a client stops waiting for an answer after this long, and may retry
 * @param dataBytesMax         the data size limit validation enforces; small in some runs, to be hit
 */
record SimOptions(
        Scenario scenario,
        int nodes,
        long faultPhaseMs,
        long settleBoundMs,
        int tickMs,
        int electionTicks,
        int heartbeatTicks,
        int maxEntriesPerAppend,
        long maxBytesPerAppend,
        long maxUncommittedBytes,
        double lossRate,
        double duplicateRate,
        int delayMinMs,
        int delayMaxMs,
        double slowRate,
        double partitionsPerSecond,
        long partitionMaxMs,
        double crashesPerSecond,
        long downMaxMs,
        double tearRate,
        double keepPrefixRate,
        int syncMinMs,
        int syncMaxMs,
        int snapshotEveryEntries,
        int snapshotChunkBytes,
        double batchRate,
        int batchDelayMaxMs,
        int clients,
        int clientIntervalMs,
        int clientTimeoutMs,
        int clientOutstandingMax,
        int dataBytesMax) {

    /** The shapes of cluster the tests run; each seed decides the rest. */
    enum Scenario {
        SINGLE(1, 6_000, false),
        CLUSTER3(3, 8_000, false),
        CLUSTER5(5, 8_000, false),
        /**
         * Election churn in five nodes: frequent crashes (often of a leader just elected) and short partitions around
         * the leader, little loss, busy clients and appends of one entry or a few. Leaders come and go while their
         * entries are on a minority, so logs diverge in many terms: the ground where Raft's Figure 8 happens.
         */
        CLUSTER5_CHURN(5, 4_000, true);

        final int nodes;
        final long faultPhaseMs;
        final boolean churn;

        Scenario(int nodes, long faultPhaseMs, boolean churn) {
            this.nodes = nodes;
            this.faultPhaseMs = faultPhaseMs;
            this.churn = churn;
        }
    }

    /**
     * The longest network delay, driver batching delay and disk sync once the cluster has healed. Raft is live
     * only while a round of votes takes well under an election timeout; the fault phase may break that on
     * purpose (slow disks, slow links, slow drivers), but liveness is required of a cluster whose latencies are
     * back to normal: a pre-vote and a vote round, each of two network hops, two driver delays and a sync, must
     * fit in the shortest election timeout.
     */
    long healedLatencyMaxMs() {
        return Math.max(1, (long) electionTicks * tickMs / 16);
    }

    static SimOptions draw(Scenario scenario, RandomGenerator rng) {
        int electionTicks = 5 + rng.nextInt(11);
        int heartbeatTicks = 1 + rng.nextInt(Math.max(1, electionTicks / 4));
        int delayMin = 1 + rng.nextInt(3);
        int delayMax = delayMin + 2 + rng.nextInt(rng.nextBoolean() ? 10 : 40);
        boolean faulty = scenario.nodes > 1;
        int syncMin = 1 + rng.nextInt(3);
        SimOptions drawn = new SimOptions(
                scenario,
                scenario.nodes,
                scenario.faultPhaseMs,
                30_000,
                10,
                electionTicks,
                heartbeatTicks,
                pick(rng, 1, 3, 16, 512),
                pick(rng, 200, 4096, 1 << 20),
                pick(rng, 4096, 64 << 10, 64L << 20),
                faulty ? rng.nextDouble() * 0.15 : 0,
                faulty ? rng.nextDouble() * 0.05 : 0,
                delayMin,
                delayMax,
                faulty ? rng.nextDouble() * 0.05 : 0,
                faulty ? rng.nextDouble() * 1.0 : 0,
                200 + rng.nextInt(2_000),
                0.2 + rng.nextDouble() * (faulty ? 0.6 : 1.5),
                50 + rng.nextInt(1_500),
                rng.nextDouble() * 0.5,
                rng.nextDouble() * 0.5,
                syncMin,
                syncMin + rng.nextInt(rng.nextBoolean() ? 5 : 25),
                pick(rng, 0, 10, 40, 150),
                pick(rng, 64, 512, 4096),
                switch (rng.nextInt(3)) {
                    case 0 -> 0.0;
                    case 1 -> rng.nextDouble() * 0.6;
                    default -> 1.0;
                },
                pick(rng, 4, 10, 20, 80),
                2 + rng.nextInt(4),
                5 + rng.nextInt(40),
                50 + rng.nextInt(rng.nextBoolean() ? 200 : 1_000),
                pick(rng, 1, 3, 10),
                rng.nextInt(4) == 0 ? 256 : 1 << 20);
        return scenario.churn ? churn(drawn, rng) : drawn;
    }

    /** The churn scenario's overrides, drawn after the common options so that the other scenarios draw as before. */
    private static SimOptions churn(SimOptions o, RandomGenerator rng) {
        return new SimOptions(o.scenario, o.nodes, o.faultPhaseMs, o.settleBoundMs, o.tickMs, o.electionTicks, o.heartbeatTicks,
                pick(rng, 1, 1, 2),
                o.maxBytesPerAppend, o.maxUncommittedBytes,
                rng.nextDouble() * 0.03,
                o.duplicateRate, o.delayMinMs, o.delayMinMs + 2 + rng.nextInt(8), o.slowRate * 0.2,
                1.0 + rng.nextDouble() * 2.0,
                100 + rng.nextInt(500),
                1.0 + rng.nextDouble() * 2.0,
                20 + rng.nextInt(300),
                o.tearRate, o.keepPrefixRate, o.syncMinMs, o.syncMaxMs, o.snapshotEveryEntries, o.snapshotChunkBytes,
                o.batchRate, o.batchDelayMaxMs, 2 + rng.nextInt(2), 5 + rng.nextInt(15), o.clientTimeoutMs, pick(rng, 1, 3),
                o.dataBytesMax);
    }

    private static int pick(RandomGenerator rng, int... values) {
        return values[rng.nextInt(values.length)];
    }

    private static long pick(RandomGenerator rng, long... values) {
        return values[rng.nextInt(values.length)];
    }
}
