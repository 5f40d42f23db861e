package dev.corral.node;

import dev.corral.consensus.HardState;
import java.util.Collection;

/**
 * What a voter does at start-up when its storage may have lost entries it had acknowledged, before it votes again
 * (the rule is {@code RaftCore.markStorageLost}; the argument is in the consensus package's documentation, "Lost
 * storage").
 *
 * <p>A voter cannot tell by itself a data directory that was wiped, or replaced, from one that is new. So a voter of
 * a cluster that starts on empty storage asks the other voters for their current term first, and waits until a
 * quorum-sized set of them has answered. If all say 0, no leader was ever elected (a leader's voters are a majority,
 * which meets every quorum-sized set of the others), so nothing was ever acknowledged: the cluster is new and the
 * member starts as usual. Otherwise its storage was lost: it takes a term above every answer and does not vote until
 * it has caught up. The same happens, whatever the storage holds, when the operator says so with
 * {@code corral.storage-lost} (a data directory restored from a backup, a damaged log cut short by hand).
 *
 * <p>Why a term above the highest answer: any term in which this member acknowledged entries had an elected leader,
 * and a majority at that term or later, which a quorum-sized set of the others meets; a term in which it only voted is
 * at most one above. A term at least as high means it cannot vote twice in one term (it does not vote at all until
 * caught up) nor take appends from a leader it had already seen deposed.
 *
 * <p>The race it does not close: a voter that voted for a candidate, then lost its storage and came back, all while
 * that very election was still undecided and before any leader existed, may vote again in it. That takes a wipe and a
 * restart within one election timeout of a cluster's first election.
 */
final class LostStorage {
    private LostStorage() {}

    /**
     * {@code lost}: start as a member whose storage lost entries, with {@code hardState} (to be made durable before
     * anything else) and {@code acknowledgedThroughTerm} for {@code markStorageLost}; otherwise start from what is
     * stored.
     */
    record Decision(boolean lost, HardState hardState, long acknowledgedThroughTerm) {}

    /** Storage with nothing in it: no term, no entry, no snapshot. */
    static boolean empty(HardState stored, long lastIndex) {
        return stored.term() == 0 && lastIndex == 0;
    }

    /** Whether to ask the other voters before starting: a voter of several, on empty storage or told it lost some. */
    static boolean mustAsk(boolean voterOfSeveral, boolean empty, boolean toldLost) {
        return voterOfSeveral && (empty || toldLost);
    }

    /** Answers needed from the other voters: as many as a quorum of all voters. */
    static int answersNeeded(int voters) {
        return voters / 2 + 1;
    }

    /** The decision once {@link #answersNeeded} other voters gave their {@code terms}. */
    static Decision decide(HardState stored, boolean empty, boolean toldLost, Collection<Long> terms) {
        long highest = 0;
        for (long t : terms) highest = Math.max(highest, t);
        if (!toldLost && empty && highest == 0) return new Decision(false, stored, 0);
        long term = Math.max(stored.term(), highest + 1);
        int vote = term == stored.term() ? stored.votedFor() : 0;
        return new Decision(true, new HardState(term, vote, stored.commit()), Math.max(stored.term(), highest));
    }
}
