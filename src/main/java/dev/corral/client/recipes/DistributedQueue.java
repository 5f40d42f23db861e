package dev.corral.client.recipes;

import dev.corral.client.CorralClient;
import dev.corral.client.CorralException;
import dev.corral.client.CreateMode;
import dev.corral.client.Op;
import dev.corral.client.Stat;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A distributed FIFO queue: each element is a persistent sequential znode {@code <path>/e-<counter>} holding its bytes;
 * consumers take the element with the lowest counter first.
 *
 * <pre>{@code
 * DistributedQueue jobs = new DistributedQueue(client, "/app/jobs");
 * jobs.offer(job.toBytes());                       // producers
 * byte[] next = jobs.take(Duration.ofSeconds(30)); // consumers; null if none came in time
 * }</pre>
 *
 * <p><b>Guarantees.</b> Each element is consumed at most once, by the consumer whose delete of its znode succeeded
 * ("delete wins"): a consumer reads an element, then deletes it, and returns it only if its own delete took it. Several
 * consumers in contention never both get one element, and an element is never skipped while it is there. Elements of
 * one producer come out in the order it offered them (the counter is the order of creation); elements of producers
 * that offer at the same time come out in the order the cluster created them. Elements are persistent: they outlive
 * every session, and consumers never lose one to a crash between reading and deleting, since the read alone takes
 * nothing.
 *
 * <p><b>Unknown outcomes.</b> A consumer deletes an element together with (in one multi) an ephemeral receipt znode
 * {@code <path>/taken-e-<counter>} of its own session. If the delete's outcome is unknown (connection loss), the
 * receipt says whether it was this consumer's: the element is then returned exactly once. Only if the consumer's
 * session also ends before it can look is such an element lost. An {@link #offer} whose outcome is unknown fails with
 * {@link CorralException.ConnectionLossException}: the element may or may not be in the queue (as for any write of the
 * client), and offering it again may add it twice.
 *
 * <p><b>Connection loss and expiry.</b> The queue holds no state in a session. A {@link #take} whose session ends
 * while it waits asks the client supplier again (see {@link RenewingClient}); with a fixed client it fails with
 * {@link CorralException.SessionExpiredException}, since waiting needs a watch. A poll needs the session only to take.
 *
 * <p><b>Threads.</b> Thread-safe; any number of threads may offer and take through one instance. Waiting consumers all
 * wake when an element arrives and race for it, the loser looking at the next one.
 */
public final class DistributedQueue {
    static final String ELEMENT_PREFIX = "e-";
    static final String RECEIPT_PREFIX = "taken-";

    private final Supplier<CorralClient> clients;
    private final String path;

    /** A queue at {@code path} for {@code client}. */
    public DistributedQueue(CorralClient client, String path) {
        this(() -> client, path);
    }

    /**
     * A queue at {@code path}.
     *
     * @param clients gives the client for each call (see {@link RenewingClient})
     * @param path the queue's znode (created, persistent, by the first offer or take)
     */
    public DistributedQueue(Supplier<CorralClient> clients, String path) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.path = DistributedLock.checkPath(path);
    }

    /**
     * Adds {@code element} at the end of the queue.
     *
     * @throws CorralException.ConnectionLossException if it could not be added, or its outcome is unknown
     */
    public void offer(byte[] element) {
        Objects.requireNonNull(element, "element");
        CorralClient c = clients.get();
        try {
            c.create(path + "/" + ELEMENT_PREFIX, element, CreateMode.PERSISTENT_SEQUENTIAL);
        } catch (CorralException.NoNodeException e) {
            RetryingWrites.ensurePath(c, path);
            c.create(path + "/" + ELEMENT_PREFIX, element, CreateMode.PERSISTENT_SEQUENTIAL);
        }
    }

    /** Takes the first element, or returns null if the queue is empty (or does not exist). */
    public byte[] poll() {
        return poll(clients.get());
    }

    /**
     * Takes the first element, waiting at most {@code timeout} for one to arrive.
     *
     * @return the element, or null if none came in time
     * @throws InterruptedException if interrupted while waiting
     */
    public byte[] take(Duration timeout) throws InterruptedException {
        long deadline = Wakeup.deadline(Objects.requireNonNull(timeout, "timeout"));
        while (true) {
            CorralClient c = clients.get();
            RetryingWrites.ensurePath(c, path);
            try (Wakeup wakeup = new Wakeup(c)) {
                do {
                    byte[] element = poll(c);
                    if (element != null) return element;
                    // Watched, then looked at again: an element offered in between is not missed.
                    List<String> names = c.getChildren(path, wakeup).names();
                    if (SequentialNames.ordered(names, n -> n.startsWith(ELEMENT_PREFIX)).isEmpty() && !wakeup.await(deadline)) {
                        return null;
                    }
                } while (!ClientSource.ended(c));
            }
        }
    }

    /** How many elements the queue holds now. */
    public int size() {
        try {
            return SequentialNames.ordered(clients.get().getChildren(path).names(), n -> n.startsWith(ELEMENT_PREFIX)).size();
        } catch (CorralException.NoNodeException e) {
            return 0;
        }
    }

    private byte[] poll(CorralClient c) {
        List<String> names;
        try {
            names = c.getChildren(path).names();
        } catch (CorralException.NoNodeException e) {
            return null;
        }
        for (String name : SequentialNames.ordered(names, n -> n.startsWith(ELEMENT_PREFIX))) {
            byte[] data;
            try {
                data = c.getData(path + "/" + name).data();
            } catch (CorralException.NoNodeException e) {
                continue; // Taken by another consumer since the listing.
            }
            if (claim(c, name)) return data;
        }
        return null;
    }

    /**
     * Deletes element {@code name} for this consumer: true if this consumer's delete took it, false if another
     * consumer's did.
     */
    private boolean claim(CorralClient c, String name) {
        String element = path + "/" + name;
        String receipt = path + "/" + RECEIPT_PREFIX + name;
        for (int attempt = 1; ; attempt++) {
            try {
                c.multi(List.of(Op.delete(element, -1), Op.create(receipt, null, CreateMode.EPHEMERAL)));
                dropReceipt(c, receipt);
                return true;
            } catch (CorralException e) {
                boolean expected = e instanceof CorralException.NoNodeException || e instanceof CorralException.NodeExistsException
                        || RetryingWrites.outcomeUnknown(e);
                if (!expected) throw e;
                // Not taken by this attempt, or unknown. While the element is there, no multi has taken it: try again.
                // Once it is gone, the multi that took it created a receipt in the same step: whose is it?
                if (c.exists(element) != null) {
                    if (attempt >= RetryingWrites.ATTEMPTS) throw e;
                    continue;
                }
            }
            Stat r = c.exists(receipt);
            if (r != null && r.ephemeralOwner() == c.session().idNumber()) {
                dropReceipt(c, receipt);
                return true;
            }
            return false;
        }
    }

    /** The receipt has done its job; deleted without waiting (it is ephemeral, so one left behind goes with the session). */
    private static void dropReceipt(CorralClient c, String receipt) {
        c.async().delete(receipt);
    }
}
