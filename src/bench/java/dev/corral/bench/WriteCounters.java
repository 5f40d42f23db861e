package dev.corral.bench;

import java.io.IOException;

/**
 * A server's own counters of durable log writes (group commits), read before and after each cell so that
 * the report can say how many writes a cell took, how many entries each carried and what each cost.
 */
interface WriteCounters extends AutoCloseable {
    /** Cumulative values at one moment. */
    record Snapshot(double writes, double writeSeconds, double entries) {
        Delta minus(Snapshot before) {
            return new Delta(writes - before.writes, writeSeconds - before.writeSeconds, entries - before.entries);
        }
    }

    /** What happened between two snapshots. */
    record Delta(double writes, double writeSeconds, double entries) {
        double entriesPerWrite() {
            return writes == 0 ? 0 : entries / writes;
        }

        double meanWriteMs() {
            return writes == 0 ? 0 : writeSeconds * 1000 / writes;
        }
    }

    Snapshot read() throws IOException;

    @Override
    void close();
}
