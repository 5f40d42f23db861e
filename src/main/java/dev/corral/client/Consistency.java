package dev.corral.client;

/** What a read waits for before the node answers it. */
public enum Consistency {
    /**
     * ZooKeeper's guarantee: the node's own tree, which may lag the leader but never goes back. This client also never
     * goes back in time when it moves to another node: it sends the highest zxid it has seen ({@code minZxid}), and the
     * node answers only once it has applied that.
     */
    SEQUENTIAL,
    /**
     * The answer reflects every write acknowledged anywhere before the read: the node first catches up with the
     * leader's commit point, confirmed by a quorum after the read arrived.
     */
    LINEARIZABLE
}
