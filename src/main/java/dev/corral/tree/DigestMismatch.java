package dev.corral.tree;

/**
 * A {@link dev.corral.txn.Txn.DigestCheck} found this node's tree different from the leader's: the check at
 * {@code zxid} carried {@code expected}, the digest of the leader's state before that entry, and this node's state
 * before it had {@code actual}. The tree has diverged; which side is wrong the digest alone cannot say (the node that
 * reports is the suspect if the others do not).
 */
public record DigestMismatch(long zxid, long expected, long actual) {
    /** For logs and the readiness check. */
    public String describe() {
        return "replica digest mismatch at zxid " + zxid + ": expected " + hex(expected) + ", has " + hex(actual);
    }

    private static String hex(long v) {
        String h = Long.toHexString(v);
        return "0".repeat(16 - h.length()) + h;
    }
}
