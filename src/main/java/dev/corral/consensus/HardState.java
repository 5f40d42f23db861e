package dev.corral.consensus;

/**
 * What a member must remember across restarts: the latest term it has seen, whom it voted for in that
 * term (0 for nobody) and the highest index it knows to be committed. Term and vote must be durable
 * before any message that depends on them is sent. Commit is only a hint, as of the last time term or vote
 * changed: a restarted member learns the commit point again from the protocol.
 */
public record HardState(long term, int votedFor, long commit) {
    public static final HardState EMPTY = new HardState(0, 0, 0);
}
