package dev.corral.zk.wire;

/**
 * The seed of the randomised tests of this package: {@code -Dzkwire.seed=N} replays a failure, and every failure
 * names its seed and that command.
 */
final class Seeds {
    static final long SEED = Long.getLong("zkwire.seed", 20260501L);

    interface Body {
        void run(RandomValues random) throws Exception;
    }

    private Seeds() {}

    /** Runs {@code body} with values drawn from {@code SEED} mixed with {@code salt} (one stream per test). */
    static void run(long salt, Body body) {
        long seed = SEED;
        try {
            body.run(new RandomValues(seed * 0x9e3779b97f4a7c15L + salt));
        } catch (Throwable t) {
            throw new AssertionError("failed with seed " + seed + " (replay: -Dzkwire.seed=" + seed + "): " + t, t);
        }
    }
}
