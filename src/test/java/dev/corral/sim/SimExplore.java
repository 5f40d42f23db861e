package dev.corral.sim;

/**
 * Runs many seeds outside JUnit, to explore beyond the fixed seeds CI runs:
 * {@code java -cp target/classes:target/test-classes dev.corral.sim.SimExplore CLUSTER3 1000 500}
 * runs seeds 1000 to 1499 of the CLUSTER3 scenario and prints each failure with its replay command. For many seeds
 * of every scenario in parallel, use {@code bin/simulate} ({@link SimBugHunt}).
 */
final class SimExplore {
    private SimExplore() {}

    public static void main(String[] args) {
        SimOptions.Scenario scenario = SimOptions.Scenario.valueOf(args[0]);
        long from = Long.parseLong(args[1]);
        int count = Integer.parseInt(args[2]);
        boolean verbose = java.util.Arrays.asList(args).contains("-v");
        SimNode.DiskFault diskFault = SimNode.DiskFault.NONE;
        for (String a : args) if (a.startsWith("--disk-fault=")) diskFault = SimNode.DiskFault.valueOf(a.substring("--disk-fault=".length()));
        int failures = 0;
        long steps = 0;
        long started = System.nanoTime();
        for (long seed = from; seed < from + count; seed++) {
            try {
                Simulation.Result r = new Simulation(scenario, seed, diskFault).run();
                steps += r.steps();
                if (verbose) System.out.println(r.summary());
            } catch (SimulationFailure f) {
                failures++;
                String msg = f.getMessage();
                System.out.println("FAIL " + (verbose ? msg : msg.substring(0, Math.min(msg.length(), 600))));
                if (verbose && f.getCause() != null) f.getCause().printStackTrace(System.out);
                System.out.println("replay: " + SimulationTest.replayCommand(scenario, seed));
            }
        }
        System.out.printf("%s: %d seeds, %d failed, %d steps, %.1f s%n", scenario, count, failures, steps, (System.nanoTime() - started) / 1e9);
    }
}
