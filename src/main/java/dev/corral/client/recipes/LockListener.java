package dev.corral.client.recipes;

/**
 * Told when a held {@link DistributedLock} is suspended, held again, or lost. Called on one of the client's threads
 * (the event thread, or the thread that completed a check) or on the thread taking the lock, with the lock's monitor
 * held so that states arrive in the order they were taken: return quickly, and do not wait there for another thread
 * that uses the same lock. Calling
 * {@link DistributedLock#isHeld}, {@link DistributedLock#fencingToken} or {@link DistributedLock#unlock} from here is
 * fine.
 */
@FunctionalInterface
public interface LockListener {
    /** The lock is now in {@code state}. */
    void lockStateChanged(LockState state);
}
