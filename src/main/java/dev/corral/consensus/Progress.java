package dev.corral.consensus;

/**
 * What a leader knows about one follower, with the transitions of that knowledge kept here.
 *
 * <p>Invariants: {@code match < next}; {@code match} only grows while this member leads (a follower's log
 * up to {@code match} is known to equal the leader's). While probing ({@code !replicating}) at most one
 * append is outstanding ({@code probeSent}); while replicating, appends stream optimistically from
 * {@code next}.
 */
final class Progress {
    long match;
    long next;
    /** False while probing for the point where the logs agree: one append in flight at a time. */
    boolean replicating;
    /** Heard from since the last check-quorum round. */
    boolean recentActive;
    /** Probing: an append is outstanding; the next goes out on response or heartbeat. */
    boolean probeSent;

    Progress(long next) {
        this.next = next;
    }

    void becomeProbe() {
        replicating = false;
        probeSent = false;
        next = match + 1;
    }

    /** Records an acknowledgement up to {@code index}; returns true if the match index moved. */
    boolean onSuccess(long index) {
        boolean updated = index > match;
        if (updated) match = index;
        next = Math.max(next, index + 1);
        replicating = true;
        probeSent = false;
        return updated;
    }

    /**
     * Records a rejection with the follower's hint of where the logs may agree; returns false if it is stale
     * (it refers to an append we no longer have in flight).
     */
    boolean onReject(long hint) {
        if (replicating && hint < match) return false;
        replicating = false;
        next = Math.max(match + 1, Math.min(next - 1, hint + 1));
        probeSent = false;
        return true;
    }
}
