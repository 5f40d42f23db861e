package dev.corral.client.recipes;

import dev.corral.client.CorralClient;
import dev.corral.client.CorralException;
import dev.corral.client.Created;
import dev.corral.client.EventType;
import dev.corral.client.SessionListener;
import dev.corral.client.SessionState;
import dev.corral.client.WatchedEvent;
import dev.corral.client.Watcher;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A fair distributed lock: a queue of ephemeral sequential znodes under a base path, granted in the order they were
 * created. Each waiter watches only the znode just before its own, so a release wakes one waiter, not all of them.
 *
 * <pre>{@code
 * DistributedLock lock = new DistributedLock(client, "/app/locks/orders");
 * lock.lock();
 * try {
 *     store.write(order, lock.fencingToken());
 * } finally {
 *     lock.unlock();
 * }
 * }</pre>
 *
 * <p><b>Guarantees.</b> At most one session holds the lock at a time, as far as the cluster can tell: the lock is the
 * first znode of the queue, and it lives as long as its session. {@link #fencingToken()} is the zxid that created the
 * holder's znode; since the queue is served in creation order, each holder's token is greater than every earlier
 * holder's. A store that remembers the highest token it has seen and refuses smaller ones stays safe even from a
 * holder that has lost the lock without knowing yet.
 *
 * <p><b>Connection loss and expiry.</b> While the client is cut off from the cluster the lock is
 * {@link LockState#SUSPENDED}: the session may have expired at the cluster already, and someone else may hold the lock.
 * The client notices within about two thirds of the session timeout (its heartbeat fails). When it reaches the cluster
 * again and the lock's znode is still its session's, the lock is {@link LockState#HELD} again. When the session
 * expires (or is closed, or the znode is deleted) the lock is {@link LockState#LOST} for good: the listener hears it,
 * {@link #isHeld()} is false, and {@link #unlock()} and {@link #fencingToken()} throw {@link LockLostException}. The
 * next {@link #lock()} asks the client supplier for a client again: a {@link RenewingClient} gives one with a fresh
 * session, a fixed client fails with {@link CorralException.SessionExpiredException}. A lock taken at a moment when
 * the client is cut off is returned SUSPENDED (the listener hears it, and {@link #isHeld()} is false until HELD).
 *
 * <p><b>Unknown outcomes.</b> The znode's name starts with an id of this instance, so when its create fails with an
 * unknown outcome (connection loss), a retry finds it instead of queueing twice, and any second znode of this
 * instance found in the queue (a create that was still in flight) is deleted.
 *
 * <p><b>Threads.</b> An instance is one lock for one holder at a time and is not re-entrant: {@link #lock()} while
 * this instance holds the lock or is acquiring it throws {@link IllegalStateException}. Use one instance per thread
 * that competes (instances in one JVM contend like any others). {@link #unlock()} may come from any thread. Methods
 * are thread-safe.
 *
 * <p>Do not mix this lock and a {@link ReadWriteLock} on one base path. The base path is created (persistent) if
 * missing and never deleted.
 */
public final class DistributedLock {
    private static final System.Logger LOG = System.getLogger("dev.corral.client.recipes");
    static final String LOCK_PREFIX = "lock-";

    /** Where an acquisition is. LOST and RELEASED are final. */
    private enum Phase { ACQUIRING, HELD, SUSPENDED, LOST, RELEASED }

    private final Supplier<CorralClient> clients;
    private final String basePath;
    /** The prefixes of the children that form the queue. */
    private final List<String> queuePrefixes;
    /** Children with this prefix exclude everyone queued behind them; for an exclusive lock, it is its own prefix. */
    private final String exclusivePrefix;
    /** Whether this lock shares with queued holders that are not exclusive (a read lock). */
    private final boolean shared;
    /** The start of this instance's znode names: its kind's prefix and an id no other instance has. */
    private final String ownNamePrefix;
    private final LockListener listener;
    /** The current acquisition, from lock() until unlock(); a LOST one stays until unlock() or the next lock(). */
    private Hold hold;

    /** A lock on {@code basePath} for {@code client}, with no listener. */
    public DistributedLock(CorralClient client, String basePath) {
        this(() -> client, basePath, null);
    }

    /**
     * A lock on {@code basePath}.
     *
     * @param clients gives the client for each acquisition (see {@link RenewingClient})
     * @param basePath the queue's znode
     * @param listener hears of a held lock being suspended, held again and lost; null for none
     */
    public DistributedLock(Supplier<CorralClient> clients, String basePath, LockListener listener) {
        this(clients, basePath, LOCK_PREFIX, LOCK_PREFIX, List.of(LOCK_PREFIX), listener);
    }

    DistributedLock(Supplier<CorralClient> clients, String basePath, String ownPrefix, String exclusivePrefix,
            List<String> queuePrefixes, LockListener listener) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.basePath = checkPath(basePath);
        this.queuePrefixes = List.copyOf(queuePrefixes);
        this.exclusivePrefix = exclusivePrefix;
        this.shared = !ownPrefix.equals(exclusivePrefix);
        this.ownNamePrefix = ownPrefix + UUID.randomUUID() + "-";
        this.listener = listener == null ? state -> { } : listener;
    }

    static String checkPath(String path) {
        Objects.requireNonNull(path, "basePath");
        if (!path.startsWith("/") || path.length() > 1 && path.endsWith("/")) {
            throw new IllegalArgumentException("a base path is absolute, without a trailing slash: " + path);
        }
        return path;
    }

    /** The base path. */
    public String basePath() {
        return basePath;
    }

    /**
     * Waits as long as it takes to hold the lock.
     *
     * @throws IllegalStateException if this instance holds the lock or is acquiring it
     * @throws InterruptedException if interrupted while waiting (this instance's place in the queue is given up)
     * @throws CorralException.SessionExpiredException if the client's session has ended
     * @throws CorralException.ConnectionLossException if the cluster could not be reached within the client's retries
     */
    public void lock() throws InterruptedException {
        acquire(Long.MAX_VALUE);
    }

    /**
     * Waits at most {@code timeout} to hold the lock; on timeout, this instance's place in the queue is given up.
     *
     * @return true if the lock is held, false if the timeout passed first
     * @throws IllegalStateException if this instance holds the lock or is acquiring it
     * @throws InterruptedException if interrupted while waiting
     * @throws CorralException.SessionExpiredException if the client's session has ended
     * @throws CorralException.ConnectionLossException if the cluster could not be reached within the client's retries
     */
    public boolean tryLock(Duration timeout) throws InterruptedException {
        return acquire(Wakeup.deadline(Objects.requireNonNull(timeout, "timeout")));
    }

    /**
     * Releases the lock: deletes its znode, which wakes the next waiter.
     *
     * @throws IllegalStateException if this instance does not hold the lock
     * @throws LockLostException if the lock was lost while held (it is released all the same)
     * @throws CorralException.ConnectionLossException if the znode could not be deleted: it stays (and blocks the queue)
     *     until the session ends or this instance's next acquisition removes it
     */
    public void unlock() {
        Hold h;
        synchronized (this) {
            h = hold;
            if (h == null || h.phase == Phase.ACQUIRING) throw new IllegalStateException("this lock is not held by this instance");
            hold = null;
            Phase was = h.phase;
            h.phase = Phase.RELEASED;
            if (was == Phase.LOST) throw new LockLostException("the lock " + basePath + " was lost while held: " + h.lostReason);
        }
        h.client.removeSessionListener(h);
        RetryingWrites.deleteIfExists(h.client, h.path);
    }

    /** Whether this instance holds the lock and its session is connected ({@link LockState#HELD}). */
    public synchronized boolean isHeld() {
        return hold != null && hold.phase == Phase.HELD;
    }

    /**
     * The fencing token of the held lock: the zxid that created its znode, greater than that of every earlier holder.
     *
     * @throws IllegalStateException if this instance does not hold the lock
     * @throws LockLostException if the lock was lost while held
     */
    public synchronized long fencingToken() {
        if (hold == null || hold.phase == Phase.ACQUIRING) throw new IllegalStateException("this lock is not held by this instance");
        if (hold.phase == Phase.LOST) throw new LockLostException("the lock " + basePath + " was lost while held: " + hold.lostReason);
        return hold.token;
    }

    private boolean acquire(long deadlineNanos) throws InterruptedException {
        CorralClient client = Objects.requireNonNull(clients.get(), "the client supplier gave null");
        Hold h = new Hold(client);
        synchronized (this) {
            if (hold != null && hold.phase != Phase.LOST) {
                throw new IllegalStateException("this lock is " + (hold.phase == Phase.ACQUIRING ? "being acquired" : "held")
                        + " by this instance already; a DistributedLock is not re-entrant: use one instance per thread");
            }
            hold = h;
        }
        boolean acquired = false;
        try (Wakeup wakeup = new Wakeup(client)) {
            client.addSessionListener(h);
            acquired = queue(h, wakeup, deadlineNanos);
        } catch (RuntimeException | InterruptedException e) {
            try {
                abandon(h);
            } catch (CorralException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        if (!acquired) abandon(h);
        return acquired;
    }

    /** Queues {@code h} and waits for its turn until the deadline; true once held. */
    private boolean queue(Hold h, Wakeup wakeup, long deadlineNanos) throws InterruptedException {
        CorralClient client = h.client;
        enqueue(h);
        while (true) {
            List<String> queue = SequentialNames.ordered(children(client), this::inQueue);
            String ownName = SequentialNames.nameOf(h.path);
            for (String n : queue) {
                if (n.startsWith(ownNamePrefix) && !n.equals(ownName)) RetryingWrites.deleteIfExists(client, basePath + "/" + n);
            }
            queue.removeIf(n -> n.startsWith(ownNamePrefix) && !n.equals(ownName));
            int position = queue.indexOf(ownName);
            if (position < 0) {
                // The znode is gone: the session ended (session() says so), or someone deleted it; queue again.
                client.session();
                enqueue(h);
                continue;
            }
            String blocker = blocker(queue, position);
            if (blocker == null) {
                if (client.exists(h.path, h) == null) continue;
                if (take(h)) return true;
                continue;
            }
            if (client.exists(basePath + "/" + blocker, wakeup) == null) continue;
            if (!wakeup.await(deadlineNanos)) return false;
        }
    }

    /** The base path's children; none if someone deleted it (the next create makes it again). */
    private List<String> children(CorralClient client) {
        try {
            return client.getChildren(basePath).names();
        } catch (CorralException.NoNodeException e) {
            return List.of();
        }
    }

    /** Creates (again) the queue znode of {@code h}. */
    private void enqueue(Hold h) {
        Created created = RetryingWrites.createOwnSequential(h.client, basePath, ownNamePrefix, null);
        synchronized (this) {
            h.path = created.path();
            h.token = created.stat().czxid();
            h.deleted = false;
        }
    }

    /** Marks {@code h} held, unless its znode was deleted meanwhile; SUSPENDED if the session is not connected now. */
    private synchronized boolean take(Hold h) {
        if (h.deleted) return false;
        h.phase = ClientSource.connected(h.client) ? Phase.HELD : Phase.SUSPENDED;
        if (h.phase == Phase.SUSPENDED) listener.lockStateChanged(LockState.SUSPENDED);
        return true;
    }

    private boolean inQueue(String name) {
        for (String p : queuePrefixes) {
            if (name.startsWith(p)) return true;
        }
        return false;
    }

    /** The child whose deletion the holder of {@code queue[position]} waits for, or null if it may hold the lock now. */
    private String blocker(List<String> queue, int position) {
        if (!shared) return position == 0 ? null : queue.get(position - 1);
        for (int i = position - 1; i >= 0; i--) {
            if (queue.get(i).startsWith(exclusivePrefix)) return queue.get(i);
        }
        return null;
    }

    /** Gives up an acquisition that did not succeed: its znode, if any, is deleted. */
    private void abandon(Hold h) {
        String path;
        synchronized (this) {
            if (hold == h) hold = null;
            h.phase = Phase.RELEASED;
            path = h.path;
        }
        h.client.removeSessionListener(h);
        if (path != null) RetryingWrites.deleteIfExists(h.client, path);
    }

    /** Moves a held or suspended {@code h} to LOST and tells the listener. Guarded by this. */
    private void lose(Hold h, String reason) {
        if (h.phase != Phase.HELD && h.phase != Phase.SUSPENDED) return;
        h.phase = Phase.LOST;
        h.lostReason = reason;
        h.client.removeSessionListener(h);
        LOG.log(System.Logger.Level.WARNING, "lock " + basePath + " lost: " + reason);
        listener.lockStateChanged(LockState.LOST);
    }

    /**
     * One acquisition: its client, its znode, and its phase. It hears its client's session states, and watches its own
     * znode once held, to learn of a deletion.
     */
    private final class Hold implements SessionListener, Watcher {
        final CorralClient client;
        /** Guarded by the lock's monitor, as are the fields below. */
        Phase phase = Phase.ACQUIRING;
        String path;
        long token;
        String lostReason;
        /** Set when the watch on the znode saw it deleted. */
        boolean deleted;
        /** Counts session states, so that a check begun on one reconnection is not applied after a later state. */
        int sessionStates;

        Hold(CorralClient client) {
            this.client = client;
        }

        @Override
        public void stateChanged(SessionState state) {
            synchronized (DistributedLock.this) {
                int seen = ++sessionStates;
                switch (state) {
                    case DISCONNECTED -> {
                        if (phase == Phase.HELD) {
                            phase = Phase.SUSPENDED;
                            listener.lockStateChanged(LockState.SUSPENDED);
                        }
                    }
                    case CONNECTED, RECONNECTED -> {
                        if (phase == Phase.SUSPENDED) confirm(seen);
                    }
                    case EXPIRED -> lose(this, "the session expired");
                    case CLOSED -> lose(this, "the client closed its session");
                }
            }
        }

        /** Back from a suspension: held again if the znode is still this session's, lost if it is gone. */
        private void confirm(int seen) {
            String p = path;
            client.async().exists(p).whenComplete((stat, error) -> {
                synchronized (DistributedLock.this) {
                    if (seen != sessionStates || phase != Phase.SUSPENDED || !p.equals(path)) return;
                    if (error != null) return; // Still suspended; the next state change checks again.
                    if (stat == null || deleted) {
                        lose(this, "its znode " + p + " was deleted");
                    } else {
                        phase = Phase.HELD;
                        listener.lockStateChanged(LockState.HELD);
                    }
                }
            });
        }

        @Override
        public void process(WatchedEvent event) {
            synchronized (DistributedLock.this) {
                if (!event.path().equals(path)) return;
                if (event.type() == EventType.NODE_DELETED) {
                    deleted = true;
                    lose(this, "its znode " + path + " was deleted");
                    return;
                }
                if (phase == Phase.RELEASED || phase == Phase.LOST) return;
            }
            // Its data changed (nobody should): watch again.
            client.async().exists(event.path(), this).whenComplete((stat, error) -> {
                if (error == null && stat == null) process(new WatchedEvent(EventType.NODE_DELETED, event.path(), 0));
            });
        }
    }
}
