package dev.corral.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the deterministic simulation: a fixed list of seeds per scenario, which CI runs every time, plus a few
 * fresh seeds per run, which explore. A failure names the scenario and seed and the command that replays it:
 * {@code ./mvnw test -Dtest=SimulationTest -Dcorral.sim.scenario=CLUSTER3 -Dcorral.sim.seed=12345}. With
 * {@code corral.sim.seed} set, only that seed runs (in every scenario, or the one {@code corral.sim.scenario} names);
 * with {@code corral.sim.fixedOnly=true}, no fresh seeds run. {@link SimBugHunt} runs the same seeds outside JUnit and
 * reports every seed that fails.
 */
class SimulationTest {
    /** Seeds 1 to 60 run in every scenario, every time. */
    private static final int FIXED_SEEDS = 60;
    /**
     * Seeds that found bugs, per scenario (see the commit that fixed each). A change to how the simulator draws
     * from its generator changes what a seed does, so these guard only as long as the simulator stays as it was;
     * the scripted tests in {@link SimScriptedTest} guard for good.
     */
    private static final Map<SimOptions.Scenario, List<Long>> FOUND_BUGS = Map.of(
            SimOptions.Scenario.CLUSTER3, List.of(170L),
            SimOptions.Scenario.CLUSTER5, List.of(819L, 1814L));
    private static final int FRESH_SEEDS = 3;

    @TestFactory
    Stream<DynamicTest> seeds() {
        String seedProperty = System.getProperty("corral.sim.seed");
        String scenarioProperty = System.getProperty("corral.sim.scenario");
        List<SimOptions.Scenario> scenarios = scenarioProperty == null || scenarioProperty.isBlank()
                ? List.of(SimOptions.Scenario.values())
                : List.of(SimOptions.Scenario.valueOf(scenarioProperty.trim()));
        List<DynamicTest> tests = new ArrayList<>();
        // Fresh seeds explore; which seeds to run is the only choice in the simulator that is not deterministic.
        SplittableRandom fresh = new SplittableRandom();
        for (SimOptions.Scenario scenario : scenarios) {
            List<Long> seeds = new ArrayList<>();
            if (seedProperty != null && !seedProperty.isBlank()) {
                seeds.add(Long.parseLong(seedProperty.trim()));
            } else {
                seeds.addAll(ciSeeds(scenario));
                if (!Boolean.getBoolean("corral.sim.fixedOnly")) {
                    for (int i = 0; i < FRESH_SEEDS; i++) seeds.add(fresh.nextLong() & Long.MAX_VALUE);
                }
            }
            for (long seed : seeds) tests.add(DynamicTest.dynamicTest(scenario + " seed " + seed, () -> runSeed(scenario, seed)));
        }
        return tests.stream();
    }

    /** The seeds CI runs in {@code scenario} every time: the fixed ones and those that found bugs (no fresh ones). */
    static List<Long> ciSeeds(SimOptions.Scenario scenario) {
        List<Long> seeds = new ArrayList<>();
        for (long s = 1; s <= FIXED_SEEDS; s++) seeds.add(s);
        seeds.addAll(FOUND_BUGS.getOrDefault(scenario, List.of()));
        return seeds;
    }

    static Simulation.Result runSeed(SimOptions.Scenario scenario, long seed) {
        try {
            return new Simulation(scenario, seed).run();
        } catch (SimulationFailure f) {
            throw new AssertionError(f.getMessage() + "\nreplay: " + replayCommand(scenario, seed), f);
        }
    }

    static String replayCommand(SimOptions.Scenario scenario, long seed) {
        return "./mvnw test -Dtest=SimulationTest -Dcorral.sim.scenario=" + scenario + " -Dcorral.sim.seed=" + seed;
    }

    /**
     * The checkers can fail: a disk that reports writes durable before they are (the production sequencer then
     * acknowledges them) loses acknowledged entries at a crash, and the failure, replayed from its seed, happens at the same step with the same trace.
     */
    @Test
    void aDiskThatLiesAboutSyncIsCaughtAndTheFailureReplaysExactly() {
        for (SimOptions.Scenario scenario : SimOptions.Scenario.values()) {
            assertCaughtAndReplayed(scenario, SimNode.DiskFault.LIES_ABOUT_SYNC);
        }
    }

    /**
     * A node whose wiped disk is restored without telling it that it lost entries votes at once, and a committed entry
     * it held is then on fewer disks than a quorum: the checkers notice. The same seeds pass when the node is told
     * ({@code RaftCore.markStorageLost}), which the fixed seeds run.
     */
    @Test
    void aWipedNodeThatIsNotToldItLostEntriesIsCaught() {
        assertCaughtAndReplayed(SimOptions.Scenario.CLUSTER3, SimNode.DiskFault.WIPED_WITHOUT_NOTICE);
    }

    private static void assertCaughtAndReplayed(SimOptions.Scenario scenario, SimNode.DiskFault diskFault) {
        for (long seed = 1; seed <= 20; seed++) {
            SimulationFailure first = failureOf(scenario, seed, diskFault);
            if (first == null) continue;
            SimulationFailure again = failureOf(scenario, seed, diskFault);
            assertNotNull(again, scenario + " seed " + seed + " failed once but not on replay");
            assertEquals(first.step, again.step);
            assertEquals(first.traceHash, again.traceHash);
            assertEquals(String.valueOf(first.getCause().getMessage()), String.valueOf(again.getCause().getMessage()));
            return;
        }
        fail(scenario + ": no seed in 1..20 noticed the faulty disk (" + diskFault + ")");
    }

    private static SimulationFailure failureOf(SimOptions.Scenario scenario, long seed, SimNode.DiskFault diskFault) {
        try {
            new Simulation(scenario, seed, diskFault).run();
            return null;
        } catch (SimulationFailure f) {
            return f;
        }
    }

    @Test
    void aSeedReplaysIdenticallyInEveryScenario() {
        for (SimOptions.Scenario scenario : SimOptions.Scenario.values()) {
            Simulation.Result first = runSeed(scenario, 4242);
            Simulation.Result second = runSeed(scenario, 4242);
            assertEquals(first.traceHash(), second.traceHash(), scenario + ": the same seed produced a different trace");
            assertEquals(first.steps(), second.steps());
            assertEquals(first.summary(), second.summary());
        }
    }
}
