package dev.corral.consensus;

/** What became of a proposal. */
public sealed interface ProposeResult {
    /** Appended at ({@code index}, {@code term}); it commits there unless a later leader overwrites it. */
    record Accepted(long index, long term) implements ProposeResult {}

    /** This member is not the leader; {@code leaderId} is the one it knows of, or 0. */
    record NotLeader(int leaderId) implements ProposeResult {}

    /** The leader is overloaded (too many uncommitted bytes); retry later. */
    record Dropped(String reason) implements ProposeResult {}
}
