package dev.corral.node;

import dev.corral.storage.SnapshotMeta;
import dev.corral.storage.SnapshotStore;
import dev.corral.tree.SnapshotCodec;
import dev.corral.tree.TreeState;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongUnaryOperator;
import org.jboss.logging.Logger;

/**
 * Decides when a node takes a snapshot and writes it on a thread of its own, from a captured (immutable)
 * state, so that writes go on meanwhile. Its bookkeeping is owned by the driver's core thread; the outcome
 * of each snapshot goes back to the core through the {@link Sink}.
 *
 * <p>Snapshots are not on the commit path, so a failed one is retried with backoff (1 s doubling to 60 s)
 * while the node keeps serving and its log just grows. Failures never stop the node; a run of them is logged
 * as an error, since an operator must act before the log fills the disk.
 */
final class Snapshotter implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Snapshotter.class);
    /** Failures in a row after which each further one is logged as an error. */
    private static final int FAILURES_ALARM = 8;

    /** Told, on the snapshot thread, how a snapshot ended. */
    interface Sink {
        void done(SnapshotMeta meta) throws InterruptedException;

        void failed(long index, Throwable cause) throws InterruptedException;
    }

    private final int nodeId;
    private final long everyEntries;
    private final long everyBytes;
    private final int keep;
    private final NodeMetrics metrics;
    private final Sink sink;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "corral-snapshotter");
        t.setDaemon(true);
        return t;
    });

    // Owned by the core thread.
    private long lastIndex;
    private long bytesSince;
    private boolean inFlight;
    private int failures;
    private long nextAttemptNanos;

    Snapshotter(int nodeId, long everyEntries, long everyBytes, int keep, NodeMetrics metrics, Sink sink) {
        this.nodeId = nodeId;
        this.everyEntries = everyEntries;
        this.everyBytes = everyBytes;
        this.keep = keep;
        this.metrics = metrics;
        this.sink = sink;
    }

    /** The node starts from a snapshot at {@code index} (0 if none). */
    void startedAt(long index) {
        lastIndex = index;
    }

    /** Counts payload bytes committed since the last snapshot. */
    void committed(long bytes) {
        bytesSince += bytes;
    }

    /** Starts writing a snapshot of {@code state} to {@code store} if one is due and none is being written. */
    void maybeStart(TreeState state, LongUnaryOperator termAt, SnapshotStore store) {
        long since = state.lastZxid() - lastIndex;
        if (inFlight || since <= 0 || System.nanoTime() - nextAttemptNanos < 0) return;
        if (since < everyEntries && bytesSince < everyBytes) return;
        long index = state.lastZxid();
        long term = termAt.applyAsLong(index);
        inFlight = true;
        bytesSince = 0;
        executor.execute(() -> write(store, state, index, term));
    }

    private void write(SnapshotStore snapshots, TreeState s, long index, long term) {
        long started = System.nanoTime();
        SnapshotStore.Writer w = null;
        try {
            // Inside the try: a failure to start the snapshot must reach the core like any other snapshot
            // failure. Outside it, the exception ended the task unseen, inFlight stayed true, and the node
            // silently never snapshotted (nor compacted its log) again.
            w = snapshots.begin(index, term);
            SnapshotCodec.write(s, w);
            SnapshotMeta meta = w.commit();
            snapshots.retain(keep);
            metrics.snapshotTaken(System.nanoTime() - started, meta.sizeBytes());
            LOG.infof("node %d: snapshot at zxid %d written (%d znodes, %d bytes) in %d ms", nodeId, index, s.nodeCount(), meta.sizeBytes(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            sink.done(meta);
        } catch (Throwable t) {
            try {
                if (w != null) w.abort();
            } catch (RuntimeException e) {
                t.addSuppressed(e);
            }
            try {
                sink.failed(index, t);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A snapshot was written; the log may be compacted behind it. */
    void done(SnapshotMeta meta) {
        inFlight = false;
        failures = 0;
        lastIndex = meta.index();
    }

    void failed(long index, Throwable cause) {
        inFlight = false;
        failures++;
        long backoffMs = Math.min(60_000, 1000L << Math.min(failures - 1, 10));
        nextAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs);
        String message = String.format("node %d: snapshot at zxid %d failed (%d in a row): %s; retrying in %d ms", nodeId, index, failures,
                cause.getMessage(), backoffMs);
        if (failures >= FAILURES_ALARM) LOG.error(message);
        else LOG.warn(message);
    }

    /**
     * Waits up to {@code seconds} for a snapshot being written to end (without storage it fails fast), so that
     * its storage can be closed under nobody.
     */
    void awaitIdle(long seconds) throws InterruptedException {
        try {
            executor.submit(() -> { }).get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("node %d: a snapshot still being written after %d s is cut off by closing its storage", nodeId, seconds);
        }
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
