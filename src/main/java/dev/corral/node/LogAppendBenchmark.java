package dev.corral.node;

import dev.corral.consensus.Entry;
import dev.corral.consensus.HardState;
import dev.corral.storage.LogBase;
import dev.corral.storage.LogStore;
import dev.corral.storage.SnapshotStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Measures durable appends through a node's own {@link LogStore}, the way the node's log writer uses it: each
 * commit is one {@link LogStore#write} of a batch of entries together with the hard state (the commit index
 * moves with every batch on a single node, so the node persists both in one transaction). Run it only on an
 * empty scratch log: {@link #refusal} says why a store must not be used, and {@link #run} deletes everything
 * it wrote and puts back the empty hard state before it returns, also when it fails.
 *
 * <p>Figures are per batch size: commits (durable transactions, one fsync each on SQLite with
 * {@code synchronous=FULL} and on PostgreSQL with {@code synchronous_commit=on}) per second, entries per second,
 * and the latency of one commit. Not thread-safe; one run at a time.
 */
public final class LogAppendBenchmark {
    /** Largest batch accepted; the node's writer drains at most a few thousand requests per write. */
    public static final int BATCH_MAX = 65_536;
    /** Largest entry accepted; znode data is limited to about 1 MiB. */
    public static final int ENTRY_BYTES_MAX = 1 << 20;
    private static final int WARMUP_COMMITS = 20;
    private static final long TERM = 1;

    /**
     * What to measure.
     *
     * @param batchSizes      entries per commit, each measured in turn
     * @param entryBytes      payload bytes per entry
     * @param durationNanos   measured time per batch size (after a short warm-up)
     * @param entriesMax      stop a batch size early after writing this many entries, to bound the log's size
     */
    public record Settings(List<Integer> batchSizes, int entryBytes, long durationNanos, long entriesMax) {
        public Settings {
            batchSizes = List.copyOf(batchSizes);
            if (batchSizes.isEmpty()) throw new IllegalArgumentException("no batch sizes given");
            for (int b : batchSizes) {
                if (b < 1 || b > BATCH_MAX) throw new IllegalArgumentException("batch size " + b + " outside [1, " + BATCH_MAX + "]");
            }
            if (entryBytes < 0 || entryBytes > ENTRY_BYTES_MAX) {
                throw new IllegalArgumentException("entry size " + entryBytes + " outside [0, " + ENTRY_BYTES_MAX + "]");
            }
            if (durationNanos <= 0) throw new IllegalArgumentException("duration must be positive, not " + durationNanos + " ns");
            if (entriesMax < 1) throw new IllegalArgumentException("entry limit must be positive, not " + entriesMax);
        }
    }

    /** The figures for one batch size; latencies are of one commit, in nanoseconds. */
    public record Result(int batchSize, int entryBytes, long commits, long elapsedNanos, long p50Nanos, long p99Nanos, long maxNanos) {
        public long entries() {
            return commits * batchSize;
        }

        public double commitsPerSecond() {
            return commits * 1e9 / elapsedNanos;
        }

        public double entriesPerSecond() {
            return entries() * 1e9 / elapsedNanos;
        }

        /** Payload bytes made durable per second, in MiB. */
        public double payloadMibPerSecond() {
            return entriesPerSecond() * entryBytes / (1 << 20);
        }
    }

    private final LogStore log;
    private final LongSupplier nanoClock;

    public LogAppendBenchmark(LogStore log, LongSupplier nanoClock) {
        this.log = log;
        this.nanoClock = nanoClock;
    }

    /**
     * Why these stores must not be used for the benchmark, if they must not: anything in the log, a log base,
     * a hard state or a snapshot means a node has used them, and the benchmark would write into its log.
     */
    public static Optional<String> refusal(LogStore log, SnapshotStore snapshots) {
        HardState hs = log.hardState();
        if (log.lastIndex() != 0 || !log.base().equals(LogBase.ZERO)) {
            return Optional.of("the log is not empty (entries up to index " + log.lastIndex() + ", base " + log.base().index() + ")");
        }
        if (!hs.equals(HardState.EMPTY)) {
            return Optional.of("a node has used this storage (term " + hs.term() + ", vote " + hs.votedFor() + ", commit " + hs.commit() + ")");
        }
        if (snapshots.latest().isPresent()) {
            return Optional.of("it holds a snapshot (at index " + snapshots.latest().get().index() + ")");
        }
        return Optional.empty();
    }

    /**
     * Measures every batch size in turn, reporting each result as it is known, and leaves the log empty with
     * the empty hard state. The log must be empty when called ({@link #refusal}).
     */
    public List<Result> run(Settings settings, Consumer<Result> onResult) {
        if (log.lastIndex() != 0 || !log.hardState().equals(HardState.EMPTY)) {
            throw new IllegalStateException("log append benchmark needs an empty log, found last index " + log.lastIndex()
                    + " and hard state " + log.hardState());
        }
        List<Result> results = new ArrayList<>();
        try {
            for (int batchSize : settings.batchSizes()) {
                Result r = measure(batchSize, settings);
                results.add(r);
                onResult.accept(r);
                clear();
            }
        } finally {
            clear();
        }
        return results;
    }

    private Result measure(int batchSize, Settings settings) {
        SplittableRandom random = new SplittableRandom(batchSize);
        long next = 1;
        for (int i = 0; i < WARMUP_COMMITS; i++) {
            next = append(next, batchSize, settings.entryBytes(), random);
        }
        long[] latencies = new long[1024];
        int commits = 0;
        long entries = 0;
        long started = nanoClock.getAsLong();
        long deadline = started + settings.durationNanos();
        long now = started;
        while (now - deadline < 0 && entries < settings.entriesMax()) {
            long before = now;
            next = append(next, batchSize, settings.entryBytes(), random);
            now = nanoClock.getAsLong();
            if (commits == latencies.length) latencies = Arrays.copyOf(latencies, commits * 2);
            latencies[commits++] = now - before;
            entries += batchSize;
        }
        long elapsed = now - started;
        Arrays.sort(latencies, 0, commits);
        return new Result(batchSize, settings.entryBytes(), commits, elapsed, percentile(latencies, commits, 0.50),
                percentile(latencies, commits, 0.99), commits == 0 ? 0 : latencies[commits - 1]);
    }

    /** Writes one batch starting at index {@code first}, committing everything before it; returns the next index. */
    private long append(long first, int batchSize, int entryBytes, SplittableRandom random) {
        List<Entry> batch = new ArrayList<>(batchSize);
        for (int i = 0; i < batchSize; i++) {
            byte[] data = new byte[entryBytes];
            random.nextBytes(data);
            batch.add(new Entry(first + i, TERM, data));
        }
        log.write(new HardState(TERM, 0, first - 1), batch);
        return first + batchSize;
    }

    /** Deletes every entry written and puts back the empty hard state, so the log is as it was found. */
    private void clear() {
        log.truncateSuffix(1);
        log.write(HardState.EMPTY, List.of());
    }

    private static long percentile(long[] sorted, int count, double q) {
        if (count == 0) return 0;
        int i = (int) Math.ceil(q * count) - 1;
        return sorted[Math.clamp(i, 0, count - 1)];
    }
}
