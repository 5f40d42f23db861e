package dev.corral.sim;

/**
 * A run that broke an invariant, or in which the code under test threw. Carries where it happened (step,
 * simulated time, trace hash) so that a replay can be compared with the original.
 */
final class SimulationFailure extends AssertionError {
    final long seed;
    final SimOptions.Scenario scenario;
    final long step;
    final long traceHash;

    SimulationFailure(Simulation sim, Throwable cause) {
        super(sim.options.scenario() + " seed " + sim.seed + " failed at step " + sim.steps() + " (t=" + sim.nowMs() + " ms, trace "
                + Long.toHexString(sim.traceHash()) + "): " + cause + "\nnodes: " + sim.nodeStates() + "\noptions: " + sim.options
                + "\nlast events:" + sim.recentEvents(), cause);
        this.seed = sim.seed;
        this.scenario = sim.options.scenario();
        this.step = sim.steps();
        this.traceHash = sim.traceHash();
    }
}
