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
 * {@code ./mvnw test -Dtest=SimulationTest -Dcorral.sim.scenario=CLUSTER3 -Dcorral.sim.seed=170}. To search
 * many seeds, run {@code SimExplore} from the test classpath. Same seed, same run: nothing in here reads a clock
 * or iterates a hash-ordered collection, and events at the same time run in the order they were scheduled.
 */
package dev.corral.sim;
