package dev.corral.consensus;

import java.util.List;

/**
 * Messages between members. The transport may lose, delay, duplicate or reorder them; the core tolerates
 * all of that. Every message carries the sender's term.
 */
public sealed interface Message {
    int from();

    int to();

    long term();

    /** Asks whether the sender could win an election at {@code term} (not yet entered), without disrupting anyone. */
    record PreVote(int from, int to, long term, long lastIndex, long lastTerm) implements Message {}

    record PreVoteResponse(int from, int to, long term, boolean granted) implements Message {}

    record Vote(int from, int to, long term, long lastIndex, long lastTerm) implements Message {}

    record VoteResponse(int from, int to, long term, boolean granted) implements Message {}

    /** Entries following ({@code prevIndex}, {@code prevTerm}); empty entries make a heartbeat. */
    record Append(int from, int to, long term, long prevIndex, long prevTerm, List<Entry> entries, long commit)
            implements Message {}

    /**
     * Reply to an {@link Append}: on success {@code index} is the last index now known to match the
     * leader's log; on rejection it is the follower's hint of where the logs may agree (its last index,
     * or just before the conflicting term).
     */
    record AppendResponse(int from, int to, long term, boolean success, long index) implements Message {}

    /**
     * Tells a follower whose log is too far behind to install the leader's snapshot at ({@code index},
     * {@code snapshotTerm}); the drivers move the snapshot's bytes and then step this message into the
     * follower's core.
     */
    record InstallSnapshot(int from, int to, long term, long index, long snapshotTerm) implements Message {}

    /**
     * Asks a voter to confirm that the sender still leads ({@code seq} numbers the leader's read rounds): the
     * leader of a read-index read sends it after the read arrived and serves the read once a quorum answered.
     */
    record ReadIndex(int from, int to, long term, long seq) implements Message {}

    /** A voter's answer to {@link ReadIndex}: in {@code term} it follows the sender; {@code seq} is echoed. */
    record ReadIndexResponse(int from, int to, long term, long seq) implements Message {}
}
