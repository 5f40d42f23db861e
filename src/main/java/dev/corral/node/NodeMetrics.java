package dev.corral.node;

/** What the driver reports for metrics. Implementations must be cheap and thread-safe. */
public interface NodeMetrics {
    /** One durable log write (group commit) of {@code entries} entries, taking {@code nanos}. */
    void logWrite(long nanos, int entries);

    /** A write request from submission to completion. */
    void commit(long nanos);

    void leaderChanged();

    void snapshotTaken(long nanos, long bytes);

    /** A write to (or an attempt to reopen) the storage failed; the node is or stays without storage. */
    void storageFailed();

    /** A digest check found this node's tree different from the leader's. */
    void digestMismatch();

    NodeMetrics NONE = new NodeMetrics() {
        @Override
        public void logWrite(long nanos, int entries) {}

        @Override
        public void commit(long nanos) {}

        @Override
        public void leaderChanged() {}

        @Override
        public void snapshotTaken(long nanos, long bytes) {}

        @Override
        public void storageFailed() {}

        @Override
        public void digestMismatch() {}
    };
}
