package dev.corral.consensus;

import java.util.Set;

/**
 * Static configuration of one member.
 *
 * @param id                   this member's id (≥ 1)
 * @param voters               ids of all voting members, this one included
 * @param electionTicks        a follower that hears no leader for a random number of ticks in
 *                             [electionTicks, 2·electionTicks) starts an election; must exceed heartbeatTicks
 * @param heartbeatTicks       a leader sends heartbeats every this many ticks
 * @param maxEntriesPerAppend  entries per append message, at most
 * @param maxBytesPerAppend    payload bytes per append message, at most (one entry is always allowed)
 * @param maxUncommittedBytes  a leader drops proposals while this many payload bytes are uncommitted
 * @param observers            ids of members that replicate the log and serve reads but neither vote nor count towards a
 *                             quorum, nor ever campaign; disjoint from {@code voters}; this member may be one
 * @param appliedLogBytesMax   applied entries kept in memory, in bytes (payload plus a fixed overhead per entry): older
 *                             ones are forgotten, the log store keeps them. 0 keeps none. Entries not yet applied are
 *                             always kept (the leader's are bounded by {@code maxUncommittedBytes})
 */
public record RaftConfig(int id, Set<Integer> voters, int electionTicks, int heartbeatTicks, int maxEntriesPerAppend,
        long maxBytesPerAppend, long maxUncommittedBytes, long appliedLogBytesMax, Set<Integer> observers) {
    /** The default of {@code appliedLogBytesMax}; see {@code corral.raft.log-cache-bytes}. */
    public static final long APPLIED_LOG_BYTES_DEFAULT = 8L << 20;

    public RaftConfig {
        voters = Set.copyOf(voters);
        observers = Set.copyOf(observers);
        if (voters.isEmpty()) throw new IllegalArgumentException("a cluster needs at least one voter");
        for (int o : observers) {
            if (voters.contains(o)) throw new IllegalArgumentException("member " + o + " is both a voter and an observer");
        }
        if (id < 1 || !(voters.contains(id) || observers.contains(id))) {
            throw new IllegalArgumentException("member " + id + " is not among the voters " + voters + " or observers " + observers);
        }
        if (heartbeatTicks < 1 || electionTicks <= heartbeatTicks) {
            throw new IllegalArgumentException("need 1 ≤ heartbeatTicks < electionTicks, got " + heartbeatTicks + " and " + electionTicks);
        }
        if (maxEntriesPerAppend < 1 || maxBytesPerAppend < 1 || maxUncommittedBytes < 1) {
            throw new IllegalArgumentException("append and uncommitted limits must be positive");
        }
        if (appliedLogBytesMax < 0) throw new IllegalArgumentException("appliedLogBytesMax must not be negative, got " + appliedLogBytesMax);
    }

    /** Voters only, no observers. */
    public RaftConfig(int id, Set<Integer> voters, int electionTicks, int heartbeatTicks, int maxEntriesPerAppend, long maxBytesPerAppend,
            long maxUncommittedBytes, long appliedLogBytesMax) {
        this(id, voters, electionTicks, heartbeatTicks, maxEntriesPerAppend, maxBytesPerAppend, maxUncommittedBytes, appliedLogBytesMax, Set.of());
    }

    public static RaftConfig of(int id, Set<Integer> voters) {
        return new RaftConfig(id, voters, 10, 1, 512, 1 << 20, 64L << 20, APPLIED_LOG_BYTES_DEFAULT);
    }

    /** True if this member is an observer. */
    public boolean isObserver() {
        return observers.contains(id);
    }
}
