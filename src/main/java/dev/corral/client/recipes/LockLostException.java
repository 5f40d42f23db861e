package dev.corral.client.recipes;

/**
 * The lock was lost while it was held: its session expired or was closed, or its znode was deleted. Thrown by the
 * first call that needs the lock afterwards ({@link DistributedLock#unlock}, {@link DistributedLock#fencingToken}),
 * so that a holder that missed the {@link LockState#LOST} event still learns that its critical section was not
 * protected to the end.
 */
public final class LockLostException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** A loss, with what caused it. */
    public LockLostException(String message) {
        super(message);
    }
}
