package dev.corral.client.recipes;

import dev.corral.client.CorralClient;
import dev.corral.client.CorralException;
import dev.corral.client.SessionState;
import dev.corral.client.Watcher;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Leader election among candidates: each candidate creates an ephemeral sequential znode under a base path, holding
 * its id, and the candidate whose znode is first leads. Each other candidate watches only the znode just before its
 * own, so a leader's departure wakes its successor, not everyone.
 *
 * <pre>{@code
 * LeaderElection election = new LeaderElection(client, "/app/leader", "node-7", new LeadershipListener() {
 *     public void becameLeader() { scheduler.start(); }
 *     public void lostLeadership() { scheduler.stop(); }
 * });
 * election.start();
 * ...
 * election.close(); // resigns
 * }</pre>
 *
 * <p><b>Guarantees.</b> At most one candidate's znode is first at any zxid, and a candidate believes it leads only
 * while its znode is first and its session is connected. Leadership is reported lost as soon as it can no longer be
 * guaranteed: when the client loses touch with the cluster (it notices within about two thirds of the session timeout,
 * well before the cluster can expire the session), when the session ends, when the znode is deleted, or on close. Two
 * candidates can still both act as leader for a moment (a paused process does not know it is paused); give the
 * resource they lead a fencing check, such as the leader znode's creation zxid, if that matters.
 *
 * <p><b>Connection loss and expiry.</b> A candidate that lost touch stays a candidate: when its client reaches the
 * cluster again with the session alive, it leads again if its znode is still first. When its session has ended it
 * asks the client supplier again: a {@link RenewingClient} gives a client with a fresh session, and the candidate
 * stands again (at the back of the queue); a fixed client means the candidacy ends there. A create whose outcome is
 * unknown is resolved by the id of this instance in the znode's name, as for {@link DistributedLock}.
 *
 * <p><b>Threads.</b> The election works on a thread of its own and calls the listener on another (see
 * {@link LeadershipListener}). Methods are thread-safe.
 */
public final class LeaderElection implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.corral.client.recipes");
    static final String CANDIDATE_PREFIX = "candidate-";
    /** How long {@link #close} waits for the election's thread to withdraw the candidacy. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(60);

    private final ClientSource source;
    private final String basePath;
    private final String candidateId;
    private final String ownNamePrefix;
    private final LeadershipListener listener;
    private final RecipeThread thread;
    /** Wakes the election for any event of the znode it watches (its predecessor's, or its own). */
    private final Watcher watcher;

    // Touched only on the election's thread.
    /** The client the candidate znode belongs to; null before the first step. */
    private CorralClient client;
    /** The candidate znode, or null while there is none (not yet created, or gone). */
    private String ownPath;
    private int failures;

    /** Guards the role, so that a state change and the check of the session before leading do not interleave. */
    private final Object roleLock = new Object();
    /** Guarded by roleLock; read without it through volatile. */
    private volatile boolean leader;
    /** Set by close, or when the session ended with no fresh client to go on. Guarded by roleLock. */
    private boolean stopped;
    private boolean started;

    /** An election under {@code basePath} for {@code client}, whose candidacy ends with the client's session. */
    public LeaderElection(CorralClient client, String basePath, String candidateId, LeadershipListener listener) {
        this(() -> client, basePath, candidateId, listener);
    }

    /**
     * An election under {@code basePath}.
     *
     * @param clients gives the client to stand with, again after a session expired (see {@link RenewingClient})
     * @param basePath the znode the candidates queue under (created, persistent, if missing)
     * @param candidateId this candidate's id, stored in its znode and returned by {@link #currentLeader}
     * @param listener told when this candidate becomes leader and when it stops being leader
     */
    public LeaderElection(Supplier<CorralClient> clients, String basePath, String candidateId, LeadershipListener listener) {
        this.basePath = DistributedLock.checkPath(basePath);
        this.candidateId = Objects.requireNonNull(candidateId, "candidateId");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.ownNamePrefix = CANDIDATE_PREFIX + UUID.randomUUID() + "-";
        this.source = new ClientSource(clients, this::sessionChanged);
        this.thread = new RecipeThread("corral-election-" + candidateId, this::step);
        this.watcher = event -> thread.requestStep();
    }

    /** Enters the election; the listener hears when this candidate leads. Does nothing if already started. */
    public void start() {
        synchronized (roleLock) {
            if (stopped) throw new IllegalStateException("the election was closed");
            if (started) return;
            started = true;
        }
        thread.requestStep();
    }

    /** This candidate's id. */
    public String candidateId() {
        return candidateId;
    }

    /** Whether this candidate leads now (see the class comment for what that guarantees). */
    public boolean isLeader() {
        return leader;
    }

    /**
     * The id of the candidate whose znode is first now, or empty if there is none. Read from the cluster on each call;
     * that candidate may not have heard yet that it leads.
     */
    public Optional<String> currentLeader() {
        CorralClient c = source.client();
        List<String> names;
        try {
            names = c.getChildren(basePath).names();
        } catch (CorralException.NoNodeException e) {
            return Optional.empty();
        }
        for (String name : SequentialNames.ordered(names, n -> n.startsWith(CANDIDATE_PREFIX))) {
            try {
                return Optional.of(new String(c.getData(basePath + "/" + name).data(), StandardCharsets.UTF_8));
            } catch (CorralException.NoNodeException e) {
                // Gone since the listing: the next one leads.
            }
        }
        return Optional.empty();
    }

    /**
     * Resigns: this candidate stops leading (the listener hears it first), and its znode is deleted, which lets the
     * next candidate lead. Waits for the deletion.
     *
     * @throws CorralException.ConnectionLossException if the znode could not be deleted; it goes when the session ends
     */
    @Override
    public void close() {
        synchronized (roleLock) {
            if (stopped && !started) return;
            stopped = true;
            started = false;
            setLeader(false);
        }
        try {
            thread.call(() -> {
                if (ownPath != null && client != null && !ClientSource.ended(client)) RetryingWrites.deleteIfExists(client, ownPath);
                ownPath = null;
                return null;
            }, CLOSE_WAIT);
        } finally {
            thread.close();
            source.close();
        }
    }

    /** Guarded by roleLock. Changes the role and tells the listener (on its thread) if it changed. */
    private void setLeader(boolean now) {
        if (leader == now) return;
        leader = now;
        LOG.log(System.Logger.Level.INFO, "candidate " + candidateId + (now ? " leads " : " no longer leads ") + basePath);
        thread.tell(now ? listener::becameLeader : listener::lostLeadership);
    }

    private void sessionChanged(CorralClient c, SessionState state) {
        if (!source.isCurrent(c)) return;
        if (state != SessionState.CONNECTED && state != SessionState.RECONNECTED) {
            synchronized (roleLock) {
                setLeader(false);
            }
        }
        thread.requestStep();
    }

    /** One look at the queue, on the election's thread: stand if needed, lead if first, else watch the one before. */
    private void step() {
        synchronized (roleLock) {
            if (stopped || !started) return;
        }
        CorralClient c;
        try {
            c = source.client();
        } catch (IllegalStateException e) {
            stop("the client supplier failed: " + e.getMessage());
            return;
        }
        if (c != client) {
            client = c;
            ownPath = null;
        }
        if (ClientSource.ended(c)) {
            stop("its session ended and the client supplier gave no fresh one");
            return;
        }
        try {
            lookAtQueue(c);
            failures = 0;
        } catch (CorralException e) {
            // Cannot tell whether it still leads: it does not, until a step succeeds again.
            synchronized (roleLock) {
                setLeader(false);
            }
            if (e instanceof CorralException.SessionExpiredException) {
                thread.requestStep();
            } else {
                LOG.log(System.Logger.Level.DEBUG, "election " + basePath + " step failed, trying again: " + e);
                thread.requestStepAfter(RecipeThread.retryDelayMs(failures++));
            }
        }
    }

    /** Ends the candidacy without a znode to delete (its session has ended): the election is over for this instance. */
    private void stop(String why) {
        synchronized (roleLock) {
            setLeader(false);
            stopped = true;
        }
        LOG.log(System.Logger.Level.WARNING, "candidate " + candidateId + " leaves the election " + basePath + ": " + why);
    }

    private void lookAtQueue(CorralClient c) {
        if (ownPath == null) ownPath = RetryingWrites.createOwnSequential(c, basePath, ownNamePrefix, bytes(candidateId)).path();
        String ownName = SequentialNames.nameOf(ownPath);
        List<String> names;
        try {
            names = c.getChildren(basePath).names();
        } catch (CorralException.NoNodeException e) {
            names = List.of(); // Someone deleted the base path, and the candidate znode with it: stand again.
        }
        List<String> queue = SequentialNames.ordered(names, n -> n.startsWith(CANDIDATE_PREFIX));
        for (String n : queue) {
            if (n.startsWith(ownNamePrefix) && !n.equals(ownName)) RetryingWrites.deleteIfExists(c, basePath + "/" + n);
        }
        queue.removeIf(n -> n.startsWith(ownNamePrefix) && !n.equals(ownName));
        int position = queue.indexOf(ownName);
        if (position < 0) {
            // The znode is gone (deleted, or the session is ending): stand again.
            synchronized (roleLock) {
                setLeader(false);
            }
            ownPath = null;
            thread.requestStep();
            return;
        }
        if (position > 0) {
            synchronized (roleLock) {
                setLeader(false);
            }
            if (c.exists(basePath + "/" + queue.get(position - 1), watcher) == null) thread.requestStep();
            return;
        }
        // First. Watch the own znode, to hear if it is deleted; lead only while the session is connected.
        if (c.exists(ownPath, watcher) == null) {
            ownPath = null;
            thread.requestStep();
            return;
        }
        synchronized (roleLock) {
            if (!stopped && started && source.isCurrent(c) && ClientSource.connected(c)) setLeader(true);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
