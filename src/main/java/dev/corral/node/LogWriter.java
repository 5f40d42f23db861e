package dev.corral.node;

import dev.corral.consensus.Entry;
import dev.corral.consensus.HardState;
import dev.corral.storage.LogStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The log-writer thread of a node: the only writer of its {@link LogStore}.
 *
 * <p>Group commit: everything queued while one write is in flight goes into the next write, so one fsync
 * covers every request that arrived meanwhile. Appends and compactions keep their queue order. After each
 * durable write the listener hears the last entry written. A failed write is reported once and ends the
 * thread, and nothing queued after it is written: its outcome is unknown (it may have committed), so writing
 * on could leave a gap or reorder the log. The driver then discards this writer, reopens the storage, reads
 * back what is durable and starts a new writer.
 */
final class LogWriter implements AutoCloseable {
    private static final int DRAIN_MAX = 4096;

    /** Told what became durable, on the writer thread. */
    interface Listener {
        /** Every write up to {@code writeId} is durable. */
        void persisted(long writeId) throws InterruptedException;

        /** A write failed; its outcome is unknown and the writer has stopped. */
        void failed(Throwable cause) throws InterruptedException;
    }

    private sealed interface Job {}

    private record Append(long writeId, HardState hardState, List<Entry> entries) implements Job {}

    private record Compact(long index, long term) implements Job {}

    /** Write {@code writeId}: replace the whole log by a snapshot's end ({@link LogStore#resetTo}). */
    private record Reset(long writeId, long index, long term) implements Job {}

    private final LogStore log;
    private final NodeMetrics metrics;
    private final Listener listener;
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    LogWriter(LogStore log, NodeMetrics metrics, Listener listener) {
        this.log = log;
        this.metrics = metrics;
        this.listener = listener;
        this.thread = new Thread(this::run, "corral-log-writer");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Queues write {@code writeId}: {@code entries} (which replace any stored suffix from their first index) and the
     * hard state. Write ids increase in queue order.
     */
    void append(long writeId, HardState hardState, List<Entry> entries) {
        queue.add(new Append(writeId, hardState, entries));
    }

    /** Queues write {@code writeId}: the atomic reset of the log to a snapshot's end, after every write queued before it. */
    void reset(long writeId, long index, long term) {
        queue.add(new Reset(writeId, index, term));
    }

    /** Queues a compaction of the log up to {@code index}, after every append queued before it. */
    void compact(long index, long term) {
        queue.add(new Compact(index, term));
    }

    private void run() {
        List<Job> jobs = new ArrayList<>();
        while (running) {
            try {
                Job first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                jobs.add(first);
                queue.drainTo(jobs, DRAIN_MAX);
                persist(jobs);
                jobs.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable t) {
                running = false;
                try {
                    listener.failed(t);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
        }
    }

    /** Writes consecutive appends as one durable write; compactions in their place in the order. */
    private void persist(List<Job> jobs) throws InterruptedException {
        HardState hs = null;
        List<Entry> entries = new ArrayList<>();
        long writeId = 0;
        for (Job job : jobs) {
            switch (job) {
                case Append a -> {
                    writeId = a.writeId();
                    if (a.hardState() != null) hs = a.hardState();
                    if (!a.entries().isEmpty()) {
                        long first = a.entries().getFirst().index();
                        // A later Ready that starts at or before our tail replaces it (a follower truncating).
                        entries.removeIf(e -> e.index() >= first);
                        entries.addAll(a.entries());
                    }
                }
                case Compact c -> {
                    flush(writeId, hs, entries);
                    writeId = 0;
                    hs = null;
                    entries = new ArrayList<>();
                    log.compact(c.index(), c.term());
                }
                case Reset r -> {
                    flush(writeId, hs, entries);
                    writeId = 0;
                    hs = null;
                    entries = new ArrayList<>();
                    log.resetTo(r.index(), r.term());
                    listener.persisted(r.writeId());
                }
            }
        }
        flush(writeId, hs, entries);
    }

    private void flush(long writeId, HardState hs, List<Entry> entries) throws InterruptedException {
        if (writeId == 0) return;
        if (hs != null || !entries.isEmpty()) {
            long started = System.nanoTime();
            log.write(hs, entries);
            metrics.logWrite(System.nanoTime() - started, entries.size());
        }
        listener.persisted(writeId);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
