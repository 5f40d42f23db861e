package dev.corral.client.recipes;

import dev.corral.client.CorralClient;
import java.util.List;
import java.util.function.Supplier;

/**
 * A fair distributed read-write lock: one queue of ephemeral sequential znodes under a base path, {@code read-…} and
 * {@code write-…}, served in creation order. A writer holds the lock when its znode is first in the queue, so writers
 * exclude everyone. A reader holds it when no writer's znode is ahead of its own, so readers share it with each other,
 * and a reader that comes after a waiting writer waits behind it (writers do not starve). A writer waits for the znode
 * just before its own; a reader for the nearest writer's znode before its own, so a release wakes only those it lets in.
 *
 * <pre>{@code
 * ReadWriteLock rw = new ReadWriteLock(client, "/app/locks/catalog");
 * rw.readLock().lock();
 * try { read(); } finally { rw.readLock().unlock(); }
 * }</pre>
 *
 * <p>Each view is a {@link DistributedLock} with the same guarantees and the same behaviour on connection loss and
 * session expiry (suspended, then held again or lost), and the same rule: one acquisition at a time per view, not
 * re-entrant. Threads that read at the same time each need their own {@code ReadWriteLock} (or at least their own
 * view). A fencing token is the zxid of the view's znode: write tokens increase from writer to writer. Do not mix this
 * lock and a {@link DistributedLock} on one base path.
 */
public final class ReadWriteLock {
    static final String READ_PREFIX = "read-";
    static final String WRITE_PREFIX = "write-";
    private static final List<String> QUEUE = List.of(READ_PREFIX, WRITE_PREFIX);

    private final DistributedLock read;
    private final DistributedLock write;

    /** A read-write lock on {@code basePath} for {@code client}, with no listener. */
    public ReadWriteLock(CorralClient client, String basePath) {
        this(() -> client, basePath, null);
    }

    /**
     * A read-write lock on {@code basePath}.
     *
     * @param clients gives the client for each acquisition (see {@link RenewingClient})
     * @param basePath the queue's znode
     * @param listener hears of either view being suspended, held again or lost; null for none
     */
    public ReadWriteLock(Supplier<CorralClient> clients, String basePath, LockListener listener) {
        this.read = new DistributedLock(clients, basePath, READ_PREFIX, WRITE_PREFIX, QUEUE, listener);
        this.write = new DistributedLock(clients, basePath, WRITE_PREFIX, WRITE_PREFIX, QUEUE, listener);
    }

    /** The shared view: held together with other readers, never with a writer. */
    public DistributedLock readLock() {
        return read;
    }

    /** The exclusive view: held by no one else, reader or writer. */
    public DistributedLock writeLock() {
        return write;
    }
}
