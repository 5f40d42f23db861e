package dev.corral.client;

/**
 * The result of one operation of a {@link CorralClient#multi multi}. A multi that succeeds gives one result per
 * operation, of the matching kind; one that fails gives {@link ErrorResult}s in its exception: {@link ErrorCode#OK}
 * for the operations before the failing one, its error, and {@link ErrorCode#RUNTIME_INCONSISTENCY} after it.
 */
public sealed interface OpResult {
    /** The znode the operation was about (for a create: the created path). */
    String path();

    /**
     * A znode was created.
     *
     * @param path the created path (with the counter, for a sequential mode)
     * @param stat its Stat
     */
    record CreateResult(String path, Stat stat) implements OpResult {}

    /**
     * A znode was deleted.
     *
     * @param path its path
     */
    record DeleteResult(String path) implements OpResult {}

    /**
     * A znode's data was set.
     *
     * @param path its path
     * @param stat its Stat after the change
     */
    record SetDataResult(String path, Stat stat) implements OpResult {}

    /**
     * A version check passed.
     *
     * @param path the znode's path
     */
    record CheckResult(String path) implements OpResult {}

    /**
     * One operation of a failed multi.
     *
     * @param code OK before the failing operation, its error, RUNTIME_INCONSISTENCY after it
     * @param path the operation's path
     */
    record ErrorResult(ErrorCode code, String path) implements OpResult {}
}
