/**
 * The deterministic simulator: several {@link dev.corral.replica.Replica}s driven as the production driver will
 * drive them, over a simulated network, simulated disks and a simulated clock, all from one seed (after
 * TigerBeetle's VOPR).
 *
 * <ul>
 *   <li>{@link dev.corral.sim.Simulation} runs one seed: a queue of timed {@link dev.corral.sim.SimEvent}s
 *       (ticks, deliveries, disk syncs, client requests, crashes, restarts, partitions). A fault phase is followed
 *       by a liveness phase in which the network heals, every node restarts, and the cluster must commit a new
 *       write and bring every node to the same applied index within a bound.</li>
 *   <li>{@link dev.corral.sim.SimNode} is the driver loop around a replica; {@link dev.corral.sim.SimDisk} loses
 *       unsynced writes and tears the tail at a crash; {@link dev.corral.sim.SimNetwork} loses, delays, reorders,
 *       duplicates and partitions (also one way); {@link dev.corral.sim.Workload} is the clients.</li>
 *   <li>{@link dev.corral.sim.Invariants} are checked after every step, against the committed log replayed from
 *       scratch ({@link dev.corral.sim.ReferenceLog}); {@link dev.corral.sim.FinalCheck} checks acknowledged
 *       writes once the cluster has converged.</li>
 * </ul>
 *
 * <p>{@code SimulationTest} runs fixed seeds in every scenario plus a few fresh ones; a failure prints the seed
 * and the command that replays it, for example
 * {@code ./mvnw test -Dtest=SimulationTest -Dcorral.sim.scenario=CLUSTER3 -Dcorral.sim.seed=170}. The scenarios are
 * one node, three, five, and five under election churn ({@code CLUSTER5_CHURN}: crashes at elections and first
 * commits, new leaders cut off as they win, appends of one or two entries), where Raft's Figure 8 happens.
 *
 * <p>Commands, from the project root:
 * <ul>
 *   <li>{@code bin/simulate} runs seeds 1 to 10,000 of every scenario in parallel ({@code --seeds N},
 *       {@code --from F}, {@code --scenario S}) and lists every failing seed with its replay command; it exits
 *       non-zero if any failed. It runs {@link dev.corral.sim.SimBugHunt}, which without options runs exactly the
 *       seeds CI runs.</li>
 *   <li>{@code bin/planted-bugs} applies each deliberate bug in {@code src/test/bugs} to a copy of the production
 *       sources and reports, as a table, how many of the CI seeds caught it, the first seed and the invariant's
 *       message ({@code --seeds N} for a longer hunt); it exits non-zero if a bug goes uncaught.
 *       {@code PlantedBugPatchesTest} keeps the patches applying.</li>
 *   <li>{@code SimExplore} runs one scenario's seeds one after another, with {@code -v} for each run's summary
 *       and {@code --disk-fault=LIES_ABOUT_SYNC} or {@code WIPED_WITHOUT_NOTICE} for a broken disk.</li>
 * </ul>
 * {@link dev.corral.sim.SimHardCasesTest} scripts the known hard cases with {@link dev.corral.sim.ScriptedCluster}. Same seed, same run: nothing in here reads a clock
 * or iterates a hash-ordered collection, and events at the same time run in the order they were scheduled.
 */
package dev.corral.sim;
