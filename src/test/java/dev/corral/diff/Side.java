package dev.corral.diff;

/**
 * One server under comparison, driven by its own client. Sessions are numbered in the order the sequence
 * opens them (the actors of {@link Step}); a side maps them to its own session ids.
 */
interface Side extends AutoCloseable {
    String name();

    /** Runs one step and reports what the server answered; refusals are outcomes, not exceptions. */
    Outcome run(Step step) throws Exception;

    /** The session id of actor {@code actor} as this server's Stats carry it in ephemeralOwner. */
    long sessionId(int actor);

    /**
     * Whether the znode exists and, if it does, its data, ACL (digests in full) and Stat, read from the server's
     * tree in this JVM: no session, no ACL check.
     */
    Outcome peek(String path);

    /** True once the znode at {@code path} is gone (for waiting on container and TTL removal). */
    boolean absent(String path);

    /** Closes every session this side still holds. */
    @Override
    void close();
}
