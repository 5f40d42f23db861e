package dev.corral.client;

import java.util.List;

/**
 * A request that failed, with ZooKeeper's error name as {@link #code()}; the nested subclasses stand for the codes a
 * caller typically handles, and an instance of this class itself for the rest.
 *
 * <p>Unchecked, unlike ZooKeeper's {@code KeeperException}: the same exceptions travel inside the
 * {@link java.util.concurrent.CompletableFuture}s of {@link AsyncCorralClient}, where a checked exception cannot be
 * thrown, and calls from lambdas (streams, callbacks, watchers) would otherwise have to wrap them. Catch the subclass
 * you can handle ({@link NoNodeException}, {@link NodeExistsException}, {@link BadVersionException}…) where you
 * can handle it.
 *
 * <p>For a failed {@link CorralClient#multi multi}, the exception is that of the failing operation, and carries
 * every operation's result ({@link #results()}) and the failing one's index ({@link #failedOp()}).
 */
public sealed class CorralException extends RuntimeException permits CorralException.NoNodeException,
        CorralException.NodeExistsException, CorralException.BadVersionException, CorralException.NotEmptyException,
        CorralException.NoAuthException, CorralException.AuthFailedException, CorralException.BadArgumentsException,
        CorralException.InvalidAclException, CorralException.NoChildrenForEphemeralsException,
        CorralException.SessionExpiredException, CorralException.ConnectionLossException,
        CorralException.OperationTimeoutException, CorralException.NoWatcherException, CorralException.ThrottledException {
    private final ErrorCode code;
    private final String path;
    private final List<OpResult> results;
    private final int failedOp;

    /** An error with {@code code}, about {@code path} (null if none). */
    public CorralException(ErrorCode code, String message, String path) {
        this(code, message, path, null, List.of(), -1);
    }

    CorralException(ErrorCode code, String message, String path, Throwable cause, List<OpResult> results, int failedOp) {
        super(message, cause);
        this.code = code;
        this.path = path;
        this.results = List.copyOf(results);
        this.failedOp = failedOp;
    }

    /** ZooKeeper's name for the error. */
    public ErrorCode code() {
        return code;
    }

    /** The znode the error is about, or null. */
    public String path() {
        return path;
    }

    /** For a failed multi, one {@link OpResult.ErrorResult} per operation; otherwise empty. */
    public List<OpResult> results() {
        return results;
    }

    /** For a failed multi, the index of the failing operation (if the server named it); otherwise -1. */
    public int failedOp() {
        return failedOp;
    }

    /** The code, the path and the message. */
    @Override
    public String getMessage() {
        return code + (path == null ? "" : " " + path) + ": " + super.getMessage();
    }

    /** The message alone, as the server (or this client) worded it. */
    String detail() {
        return super.getMessage();
    }

    /** The exception for an error answer: the subclass for {@code code}, else this class. */
    static CorralException of(ErrorCode code, String message, String path, List<OpResult> results, int failedOp) {
        return switch (code) {
            case NO_NODE -> new NoNodeException(message, path, results, failedOp);
            case NODE_EXISTS -> new NodeExistsException(message, path, results, failedOp);
            case BAD_VERSION -> new BadVersionException(message, path, results, failedOp);
            case NOT_EMPTY -> new NotEmptyException(message, path, results, failedOp);
            case NO_AUTH -> new NoAuthException(message, path, results, failedOp);
            case AUTH_FAILED -> new AuthFailedException(message, path, results, failedOp);
            case BAD_ARGUMENTS -> new BadArgumentsException(message, path, results, failedOp);
            case INVALID_ACL -> new InvalidAclException(message, path, results, failedOp);
            case NO_CHILDREN_FOR_EPHEMERALS -> new NoChildrenForEphemeralsException(message, path, results, failedOp);
            case SESSION_EXPIRED -> new SessionExpiredException(message, path);
            case CONNECTION_LOSS -> new ConnectionLossException(message, path, null, true);
            case OPERATION_TIMEOUT -> new OperationTimeoutException(message, path, null);
            case NO_WATCHER -> new NoWatcherException(message, path);
            case THROTTLED_OP -> new ThrottledException(message, path);
            default -> new CorralException(code, message, path, null, results, failedOp);
        };
    }

    /** {@link ErrorCode#NO_NODE}: the znode (or, for a create, its parent) does not exist. */
    public static final class NoNodeException extends CorralException {
        NoNodeException(String message, String path, List<OpResult> results, int failedOp) {
            super(ErrorCode.NO_NODE, message, path, null, results, failedOp);
        }
    }

    /** {@link ErrorCode#NODE_EXISTS}: the znode already exists. */
    public static final class NodeExistsException extends CorralException {
        NodeExistsException(String message, String path, List<OpResult> results, int failedOp) {
            super(ErrorCode.NODE_EXISTS, message, path, null, results, failedOp);
        }
    }

    /** {@link ErrorCode#BAD_VERSION}: the znode is not at the expected version. */
    public static final class BadVersionException extends CorralException {
        BadVersionException(String message, String path, List<OpResult> results, int failedOp) {
            super(ErrorCode.BAD_VERSION, message, path, null, results, failedOp);
        }
    }

    /** {@link ErrorCode#NOT_EMPTY}: the znode has children. */
    public static final class NotEmptyException extends CorralException {
        NotEmptyException(String message, String path, List<OpResult> results, int failedOp) {
            super(ErrorCode.NOT_EMPTY, message, path, null, results, failedOp);
        }
    }

    /** {@link ErrorCode#NO_AUTH}: the znode's ACL does not permit this to the caller. */
    public static final class NoAuthException extends CorralException {
        NoAuthException(String message, String path, List<OpResult> results, int failedOp) {
            super(ErrorCode.NO_AUTH, message, path, null, results, failedOp);
        }
    }

    /** {@link ErrorCode#AUTH_FAILED}: credentials or a session's secret missing or wrong. */
    public static final class AuthFailedException extends CorralException {
        AuthFailedException(String message, String path, List<OpResult> results, int failedOp) {
            super(ErrorCode.AUTH_FAILED, message, path, null, results, failedOp);
        }
    }

    /** {@link ErrorCode#BAD_ARGUMENTS}: bad input (path, data size, version, mode…); nothing changed. */
    public static final class BadArgumentsException extends CorralException {
        BadArgumentsException(String message, String path, List<OpResult> results, int failedOp) {
            super(ErrorCode.BAD_ARGUMENTS, message, path, null, results, failedOp);
        }
    }

    /** {@link ErrorCode#INVALID_ACL}: the ACL is not valid. */
    public static final class InvalidAclException extends CorralException {
        InvalidAclException(String message, String path, List<OpResult> results, int failedOp) {
            super(ErrorCode.INVALID_ACL, message, path, null, results, failedOp);
        }
    }

    /** {@link ErrorCode#NO_CHILDREN_FOR_EPHEMERALS}: ephemeral znodes cannot have children. */
    public static final class NoChildrenForEphemeralsException extends CorralException {
        NoChildrenForEphemeralsException(String message, String path, List<OpResult> results, int failedOp) {
            super(ErrorCode.NO_CHILDREN_FOR_EPHEMERALS, message, path, null, results, failedOp);
        }
    }

    /**
     * {@link ErrorCode#SESSION_EXPIRED}: the session has ended (expired, or closed); its ephemerals are gone. Final for
     * this client's session.
     */
    public static final class SessionExpiredException extends CorralException {
        SessionExpiredException(String message, String path) {
            super(ErrorCode.SESSION_EXPIRED, message, path, null, List.of(), -1);
        }
    }

    /**
     * {@link ErrorCode#CONNECTION_LOSS}: no node could be reached or could serve the request (after the retries the
     * {@link RetryPolicy} allows), or a write's outcome is unknown: it may or may not have happened. Read before
     * trying such a write again.
     */
    public static final class ConnectionLossException extends CorralException {
        private final boolean outcomeUnknown;

        ConnectionLossException(String message, String path, Throwable cause, boolean outcomeUnknown) {
            super(ErrorCode.CONNECTION_LOSS, message, path, cause, List.of(), -1);
            this.outcomeUnknown = outcomeUnknown;
        }

        /**
         * True if the request may have been carried out (a write sent, whose answer was lost); false if it is known
         * not to have reached a node that took it.
         */
        public boolean outcomeUnknown() {
            return outcomeUnknown;
        }
    }

    /**
     * {@link ErrorCode#OPERATION_TIMEOUT}: no answer in time (the node's deadline, or this client's request timeout).
     * For a write, the outcome is unknown.
     */
    public static final class OperationTimeoutException extends CorralException {
        OperationTimeoutException(String message, String path, Throwable cause) {
            super(ErrorCode.OPERATION_TIMEOUT, message, path, cause, List.of(), -1);
        }
    }

    /** {@link ErrorCode#NO_WATCHER}: no watch of that type on the path. */
    public static final class NoWatcherException extends CorralException {
        NoWatcherException(String message, String path) {
            super(ErrorCode.NO_WATCHER, message, path, null, List.of(), -1);
        }
    }

    /**
     * {@link ErrorCode#THROTTLED_OP}: the node is overloaded (retried like an unavailable node), or this client's
     * address holds as many sessions or connections as the node allows (not retried).
     */
    public static final class ThrottledException extends CorralException {
        ThrottledException(String message, String path) {
            super(ErrorCode.THROTTLED_OP, message, path, null, List.of(), -1);
        }
    }
}
