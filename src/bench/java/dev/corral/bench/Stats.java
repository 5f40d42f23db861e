package dev.corral.bench;

import java.util.Arrays;

/**
 * The figures of one measured cell: operations completed inside the measured window, their rate, and the
 * latency percentiles of those operations (nearest rank), in nanoseconds. Errors are counted, not timed.
 */
record Stats(long count, double seconds, long errors, String firstError, long p50, long p90, long p99, long p999, long max) {
    static Stats of(long[] latencies, int count, double seconds, long errors, String firstError) {
        long[] sorted = Arrays.copyOf(latencies, count);
        Arrays.sort(sorted);
        return new Stats(count, seconds, errors, firstError, rank(sorted, 0.50), rank(sorted, 0.90), rank(sorted, 0.99),
                rank(sorted, 0.999), count == 0 ? 0 : sorted[count - 1]);
    }

    double perSecond() {
        return count / seconds;
    }

    private static long rank(long[] sorted, double q) {
        if (sorted.length == 0) return 0;
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.clamp(i, 0, sorted.length - 1)];
    }
}
