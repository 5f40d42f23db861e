package dev.corral.client.recipes;

import dev.corral.client.CorralClient;
import dev.corral.client.CorralException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A barrier: while its znode exists, {@link #await} blocks; removing the znode lets every waiter through. One process
 * sets it, others wait, and the one that set it (or any other) removes it.
 *
 * <pre>{@code
 * Barrier ready = new Barrier(client, "/app/barriers/migration");
 * ready.set();                  // by the coordinator
 * ready.await(Duration.ofMinutes(5));   // by the workers: true once removed
 * ready.remove();               // by the coordinator, when the migration is done
 * }</pre>
 *
 * <p><b>Guarantees.</b> {@link #await} returns true only after the znode was absent at some moment after the call
 * began. The znode is persistent: the barrier outlives every session, and a waiter that crashes changes nothing.
 *
 * <p><b>Connection loss and expiry.</b> A waiter whose session ends while it waits asks the client supplier for a
 * client again and keeps waiting (a {@link RenewingClient} gives one with a fresh session; a fixed client fails with
 * {@link CorralException.SessionExpiredException}, since a watch needs a session). Setting and removing are
 * idempotent, so an unknown outcome is retried.
 *
 * <p><b>Threads.</b> Any number of threads may wait on one instance.
 */
public final class Barrier {
    private final Supplier<CorralClient> clients;
    private final String path;

    /** A barrier at {@code path} for {@code client}. */
    public Barrier(CorralClient client, String path) {
        this(() -> client, path);
    }

    /**
     * A barrier at {@code path}.
     *
     * @param clients gives the client to wait with, again after a session expired (see {@link RenewingClient})
     * @param path the barrier's znode
     */
    public Barrier(Supplier<CorralClient> clients, String path) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.path = DistributedLock.checkPath(path);
    }

    /** Sets the barrier: creates its znode (and missing parents); one that exists already is fine. */
    public void set() {
        RetryingWrites.ensurePath(clients.get(), path);
    }

    /** Removes the barrier: deletes its znode, which lets every waiter through; a missing one is fine. */
    public void remove() {
        RetryingWrites.deleteIfExists(clients.get(), path);
    }

    /** Whether the barrier's znode exists now. */
    public boolean isSet() {
        return clients.get().exists(path) != null;
    }

    /**
     * Waits until the barrier is removed (or was never set), at most {@code timeout}.
     *
     * @return true if it is removed, false if the timeout passed first
     * @throws InterruptedException if interrupted while waiting
     * @throws CorralException.SessionExpiredException if the session ended and the supplier gave no fresh client
     */
    public boolean await(Duration timeout) throws InterruptedException {
        long deadline = Wakeup.deadline(Objects.requireNonNull(timeout, "timeout"));
        while (true) {
            CorralClient c = clients.get();
            try (Wakeup wakeup = new Wakeup(c)) {
                do {
                    // A watch needs the session: with an ended one this throws SessionExpiredException.
                    if (c.exists(path, wakeup) == null) return true;
                    if (!wakeup.await(deadline)) return false;
                } while (!ClientSource.ended(c));
            }
            // The session ended and its watch with it: go on with the supplier's next client.
        }
    }
}
