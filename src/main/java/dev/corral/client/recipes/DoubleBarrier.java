package dev.corral.client.recipes;

import dev.corral.client.CorralClient;
import dev.corral.client.CorralException;
import dev.corral.client.Op;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A double barrier for a known number of participants: nobody gets past {@link #enter} until all have entered, and
 * nobody gets past {@link #leave} until all have left (ZooKeeper's double barrier recipe). Each participant is an
 * ephemeral znode {@code <path>/p-<participantId>}; the last to enter creates {@code <path>/ready}, which opens the
 * entry for all.
 *
 * <pre>{@code
 * DoubleBarrier round = new DoubleBarrier(client, "/app/rounds/42", "worker-3", 5);
 * if (!round.enter(Duration.ofMinutes(1))) throw new TimeoutException("not everyone came");
 * compute();
 * round.leave(Duration.ofMinutes(1));
 * }</pre>
 *
 * <p><b>Guarantees.</b> {@link #enter} returns true only once {@code count} participants were in at the same time (or
 * one of them saw that and opened the barrier). {@link #leave} returns true only once every participant's znode is
 * gone. Entering waits on the ready znode and the list of participants; leaving waits on one znode at a time: the
 * participant first by name waits for the last, every other one removes its znode and waits for the first.
 *
 * <p><b>Rounds.</b> One round per path at a time: the last participant to leave removes the ready znode together with
 * its own, after which the path can serve another round. A participant that enters while the previous round is
 * still leaving would pass at once.
 *
 * <p><b>Timeouts.</b> An {@link #enter} that times out withdraws: its znode is deleted (a participant who counted it
 * just before may still pass). A {@link #leave} that times out keeps this participant in place (unless it already
 * removed its znode), so that the others stay blocked as the recipe promises; call {@link #leave} again.
 *
 * <p><b>Connection loss and expiry.</b> Participation is the session's: if the session ends, the participant's znode
 * is gone and the other participants count one less, and this participant's {@link #enter} or {@link #leave} fails
 * with {@link CorralException.SessionExpiredException}. Unknown outcomes of its writes are resolved by reading.
 *
 * <p><b>Threads.</b> An instance is one participant; its methods are synchronized.
 */
public final class DoubleBarrier {
    static final String READY = "ready";
    static final String PARTICIPANT_PREFIX = "p-";

    private final Supplier<CorralClient> clients;
    private final String path;
    private final String ownName;
    private final int count;
    /** The client this participant entered with, from enter until its leave completes; null outside. */
    private CorralClient client;

    /** A participant {@code participantId} of the barrier at {@code path} for {@code count} participants. */
    public DoubleBarrier(CorralClient client, String path, String participantId, int count) {
        this(() -> client, path, participantId, count);
    }

    /**
     * A participant of the barrier at {@code path}.
     *
     * @param clients gives the client to enter with
     * @param path the barrier's znode (created, persistent, if missing)
     * @param participantId this participant's id, unique among the participants
     * @param count how many participants must enter before any gets through
     */
    public DoubleBarrier(Supplier<CorralClient> clients, String path, String participantId, int count) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.path = DistributedLock.checkPath(path);
        Objects.requireNonNull(participantId, "participantId");
        if (participantId.isEmpty() || participantId.contains("/")) {
            throw new IllegalArgumentException("a participant id is a znode name: " + participantId);
        }
        if (count < 1) throw new IllegalArgumentException("count must be at least 1, was " + count);
        this.ownName = PARTICIPANT_PREFIX + participantId;
        this.count = count;
    }

    /**
     * Enters, and waits at most {@code timeout} until all {@code count} participants have.
     *
     * @return true once all have entered; false if the timeout passed first (this participant withdrew)
     * @throws IllegalStateException if this participant entered already and has not left
     * @throws CorralException.NodeExistsException if another session entered with this participant's id
     * @throws InterruptedException if interrupted while waiting (this participant withdraws)
     */
    public synchronized boolean enter(Duration timeout) throws InterruptedException {
        if (client != null) throw new IllegalStateException("participant " + ownName + " entered already");
        long deadline = Wakeup.deadline(Objects.requireNonNull(timeout, "timeout"));
        CorralClient c = clients.get();
        String own = path + "/" + ownName;
        RetryingWrites.ensurePath(c, path);
        boolean in;
        try (Wakeup wakeup = new Wakeup(c)) {
            // Watched before this participant counts, so that the barrier opening just after is not missed.
            c.exists(path + "/" + READY, wakeup);
            RetryingWrites.createOwnEphemeral(c, own, null);
            in = awaitEntry(c, wakeup, deadline);
        } catch (RuntimeException | InterruptedException e) {
            try {
                RetryingWrites.deleteIfExists(c, own);
            } catch (CorralException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        if (!in) {
            RetryingWrites.deleteIfExists(c, own);
            return false;
        }
        client = c;
        return true;
    }

    /** Waits until the barrier is open, opening it if this participant sees all in; false at the deadline. */
    private boolean awaitEntry(CorralClient c, Wakeup wakeup, long deadline) throws InterruptedException {
        String ready = path + "/" + READY;
        while (true) {
            if (c.exists(ready, wakeup) != null) return true;
            if (participants(c, wakeup).size() >= count) {
                RetryingWrites.ensurePath(c, ready);
                return true;
            }
            if (!wakeup.await(deadline)) return c.exists(ready) != null;
        }
    }

    /**
     * Leaves, and waits at most {@code timeout} until every participant has.
     *
     * @return true once all have left; false if the timeout passed first (call leave again)
     * @throws IllegalStateException if this participant has not entered
     * @throws InterruptedException if interrupted while waiting
     */
    public synchronized boolean leave(Duration timeout) throws InterruptedException {
        CorralClient c = client;
        if (c == null) throw new IllegalStateException("participant " + ownName + " has not entered");
        long deadline = Wakeup.deadline(Objects.requireNonNull(timeout, "timeout"));
        String own = path + "/" + ownName;
        try (Wakeup wakeup = new Wakeup(c)) {
            while (true) {
                List<String> in = participants(c, null);
                boolean mine = in.contains(ownName);
                if (in.isEmpty()) {
                    client = null;
                    return true;
                }
                if (mine && in.size() == 1) {
                    removeLast(c, own);
                    continue;
                }
                String first = in.get(0);
                String awaited;
                if (mine && first.equals(ownName)) {
                    awaited = in.get(in.size() - 1);
                } else {
                    if (mine) RetryingWrites.deleteIfExists(c, own);
                    awaited = first;
                }
                if (c.exists(path + "/" + awaited, wakeup) == null) continue;
                if (!wakeup.await(deadline)) return false;
            }
        }
    }

    /** The last participant leaves: its znode and the ready znode go in one step, so the path is clean for a new round. */
    private void removeLast(CorralClient c, String own) {
        try {
            c.multi(List.of(Op.delete(path + "/" + READY, -1), Op.delete(own, -1)));
        } catch (CorralException.NoNodeException e) {
            // No ready znode (or own znode) to delete: remove what is there.
            RetryingWrites.deleteIfExists(c, own);
        } catch (CorralException e) {
            if (!RetryingWrites.outcomeUnknown(e)) throw e;
            // Looked at again by the caller.
        }
    }

    /** The participants' names, sorted; with a watcher, leaving a children watch. */
    private List<String> participants(CorralClient c, Wakeup wakeup) {
        List<String> names = wakeup == null ? c.getChildren(path).names() : c.getChildren(path, wakeup).names();
        return names.stream().filter(n -> n.startsWith(PARTICIPANT_PREFIX)).sorted().toList();
    }
}
