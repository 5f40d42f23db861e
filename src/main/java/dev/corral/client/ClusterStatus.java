package dev.corral.client;

import java.util.List;

/**
 * The cluster as the answering node sees it ({@code GET /v1/cluster}): the leader it knows, its term, and each voting
 * member and observer as that member reports itself. A member that did not answer the node within a second is shown
 * {@code unreachable}, and its figures are null.
 *
 * @param leader the id of the leader the answering node knows, or 0 if it knows none
 * @param term the answering node's term
 * @param commitIndex the answering node's commit index
 * @param appliedZxid the highest zxid the answering node has applied
 * @param members every configured member, in id order
 */
public record ClusterStatus(int leader, long term, long commitIndex, long appliedZxid, List<Member> members) {
    /** Copies the members. */
    public ClusterStatus {
        members = List.copyOf(members);
    }

    /**
     * One member, as it reports itself.
     *
     * @param id its node id
     * @param url its base URL as configured (empty for a cluster of one)
     * @param role {@code leader}, {@code follower}, {@code observer}, {@code candidate} or {@code unreachable}
     * @param self whether it is the node that answered
     * @param reachable whether it answered
     * @param term its term, or null if it did not answer
     * @param commitIndex its commit index, or null
     * @param appliedZxid the highest zxid it has applied, or null
     * @param ready whether it reports ready, or null
     * @param lag the leader's commit index minus its applied zxid, or null if either is unknown
     * @param clientPort the port it takes ZooKeeper clients on, or null if it does not
     */
    public record Member(int id, String url, String role, boolean self, boolean reachable, Long term, Long commitIndex,
            Long appliedZxid, Boolean ready, Long lag, Integer clientPort) {}
}
