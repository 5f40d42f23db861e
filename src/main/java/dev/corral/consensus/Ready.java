package dev.corral.consensus;

import java.util.List;

/**
 * Everything the core asks its driver to do, produced by {@link RaftCore#ready()}.
 *
 * <p>The driver must, in this order:
 * <ol>
 *   <li>persist {@code hardState} (if not null) and {@code entries} durably, in one atomic write. If the
 *       first entry's index is at or below the last stored index, the stored suffix from that index on is
 *       replaced;</li>
 *   <li>only then send {@code messages} (a vote or an append acknowledgement must never get ahead of the
 *       state it promises), and report the write with {@link RaftCore#persisted(long, long)};</li>
 *   <li>apply {@code committed} in order: these entries are committed and already durable locally, so they
 *       may be applied before step 1 completes;</li>
 *   <li>serve {@code reads}: each confirmed read-index read may be answered once this member has applied its
 *       index (an index below zero: the read failed, this member stopped leading);</li>
 *   <li>call {@link RaftCore#advance(Ready)}.</li>
 * </ol>
 * Readys may be pipelined: the driver may take the next Ready before the previous write is durable, as long
 * as writes happen in Ready order, and a Ready's messages are sent only once its own write and the writes of
 * every earlier Ready are durable. A Ready with nothing to persist may still carry messages that depend on an
 * earlier Ready's write: a repeated append is acknowledged again, and an acknowledgement may cover entries
 * handed out before.
 */
public record Ready(HardState hardState, List<Entry> entries, List<Message> messages, List<Entry> committed,
        SoftState softState, List<ReadState> reads) {

    /**
     * A read-index read the leader confirmed ({@link RaftCore#readIndex(long)}): a read of a tree that has applied
     * {@code index} is linearizable. {@code index} is negative if the read failed (leadership ended first).
     */
    public record ReadState(long context, long index) {
        public boolean failed() {
            return index < 0;
        }
    }

    public boolean mustPersist() {
        return hardState != null || !entries.isEmpty();
    }

    public long lastEntryIndex() {
        return entries.isEmpty() ? 0 : entries.getLast().index();
    }

    public long lastEntryTerm() {
        return entries.isEmpty() ? 0 : entries.getLast().term();
    }
}
