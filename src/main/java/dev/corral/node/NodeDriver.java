package dev.corral.node;

import dev.corral.replica.Replica;
import dev.corral.replica.Outcome;
import dev.corral.replica.Sequencer;
import dev.corral.consensus.Entry;
import dev.corral.consensus.RaftConfig;
import dev.corral.peer.Transport;
import dev.corral.consensus.HardState;
import dev.corral.consensus.Message;
import dev.corral.consensus.Role;
import dev.corral.consensus.SoftState;
import dev.corral.storage.CorruptLogException;
import dev.corral.storage.NodeStorage;
import dev.corral.storage.SnapshotMeta;
import dev.corral.storage.StorageException;
import dev.corral.storage.StorageRefusedException;
import dev.corral.tree.AclTable;
import dev.corral.tree.Apply;
import dev.corral.tree.Caller;
import dev.corral.tree.ErrorCode;
import dev.corral.tree.Op;
import dev.corral.tree.Prep;
import dev.corral.tree.TreeChange;
import dev.corral.tree.TreeState;
import dev.corral.tree.WatchRegistry;
import dev.corral.txn.SessionSecret;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Runs one node: owns the threads and does the I/O around the pure {@link Replica}.
 *
 * <ul>
 *   <li><b>core</b> — the only thread that touches the replica: takes requests, acknowledgements and ticks
 *       from a bounded inbox, and turns the replica's output into work for the others;</li>
 *   <li><b>log-writer</b> — persists the replica's entries and hard state. Everything queued while one write
 *       is in flight goes into the next write (group commit: one fsync for many requests). Messages are
 *       sent and the write acknowledged to the core only after it is durable;</li>
 *   <li><b>snapshotter</b> — serializes a captured (immutable) state to the snapshot store in the background,
 *       then the log is compacted behind it ({@link Snapshotter});</li>
 * </ul>
 * A storage failure (the database went away, the disk is full) stops writing, not the process: the node
 * enters phase {@link NodeStatus.Phase#STORAGE_UNAVAILABLE}, answers the requests in flight that their outcome
 * is unknown and new writes that it cannot take them, goes on serving reads from the tree it had applied, and
 * reopens its storage with backoff ({@link StorageOutage}). Before it writes again it re-reads what is durable
 * (a failed commit may have happened) and rebuilds its replica from that tree and the durable log after it,
 * as a restart would ({@link Recovery#resume}). Only broken invariants and storage it must not use stop the
 * node (phase FAILED).
 */
public final class NodeDriver implements Corral, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NodeDriver.class);
    private static final int DRAIN_MAX = 4096;
    /** A follower further behind its commit index than this many entries reports not ready. */
    private static final long FOLLOWER_LAG_MAX = 10_000;
    /** How long an outage waits for a snapshot being written to give up before it closes the storage under it. */
    private static final long SNAPSHOT_DRAIN_SECONDS = 30;
    /** How long a start on lost storage waits for each round of answers about the other voters' terms. */
    private static final long PEER_TERM_WAIT_MS = 500;

    /**
     * How the driver is set up; built from configuration at the edge. {@code digestEveryEntries}: see
     * {@link Replica.Settings#digestEveryEntries()}, 0 for off. {@code storageLost}: the operator says this member's
     * storage may have lost acknowledged entries ({@link LostStorage}).
     */
    public record Settings(RaftConfig raft, long tickMs, Prep.Limits limits, int reapIntervalTicks, long snapshotEveryEntries,
            long snapshotEveryBytes, long keepEntries, int keepSnapshots, int journalEvents, int queueMax,
            int watchedPathsPerSessionMax, int watchedPathsMax, int pendingRequestsMax, int digestEveryEntries, boolean storageLost) {
        public Settings(RaftConfig raft, long tickMs, Prep.Limits limits, int reapIntervalTicks, long snapshotEveryEntries,
                long snapshotEveryBytes, long keepEntries, int keepSnapshots, int journalEvents, int queueMax,
                int watchedPathsPerSessionMax, int watchedPathsMax, int pendingRequestsMax) {
            this(raft, tickMs, limits, reapIntervalTicks, snapshotEveryEntries, snapshotEveryBytes, keepEntries, keepSnapshots, journalEvents,
                    queueMax, watchedPathsPerSessionMax, watchedPathsMax, pendingRequestsMax, Replica.DIGEST_EVERY_ENTRIES_DEFAULT, false);
        }

        /** How long a write waits for a leader during an election: two of the longest election timeouts. */
        public long leaderWaitMs() {
            return 4L * raft.electionTicks() * tickMs;
        }
    }

    private sealed interface Event {}

    private record Submit(Op op, Caller caller, Pending pending) implements Event {}

    private record Sync(Pending pending) implements Event {}

    private record Touch(long sessionId, CompletableFuture<Boolean> result) implements Event {}

    /** Writes up to {@code writeId} of the log writer of storage generation {@code generation} are durable. */
    private record Persisted(int generation, long writeId) implements Event {}

    private record SnapshotDone(SnapshotMeta meta) implements Event {}

    /** Replication messages from peers. */
    private record Deliver(List<Message> messages) implements Event {}

    /** A leader's snapshot, fetched and stored durably, decoded: ready to install. */
    private record SnapshotFetched(Message.InstallSnapshot m, TreeState state) implements Event {}

    /** Fetching a leader's snapshot ended without one to install. */
    private record SnapshotFetchEnded(Message.InstallSnapshot m) implements Event {}

    /** Heartbeats for sessions, passed on by a follower to this node as leader. */
    private record Touched(long[] sessionIds) implements Event {}

    /** Completes {@code then} once the served tree has applied {@code zxid}. */
    private record AwaitApplied(long zxid, Runnable then) implements Event {}

    /** A read barrier asked by a peer or a local linearizable read: see {@link #barrier(boolean)}. */
    private record Barrier(boolean linearizable, Pending pending) implements Event {}

    private record SnapshotFailed(long index, Throwable cause) implements Event {}

    /** The log writer of storage generation {@code generation} failed; the outcome of its write is unknown. */
    private record WriteFailed(int generation, Throwable cause) implements Event {}

    /** A client request in flight; {@code write} false for a sync. */
    private record Pending(CompletableFuture<Outcome> future, long startNanos, boolean write) {}


    private final Settings settings;
    private final NodeStorage.Opener opener;
    private final NodeMetrics metrics;
    private final LongSupplier wallClockMs;
    private final Consumer<String> onFatal;
    private final AclTable acls = new AclTable();
    private final Apply apply = new Apply(acls);
    private final Prep prep;
    private final SecureRandom seeds = new SecureRandom();
    private final BlockingQueue<Event> inbox;
    private final Snapshotter snapshotter;
    private final Thread coreThread;
    private final Transport transport;
    /** Session heartbeats to pass on to the leader at the next tick (a follower's); touched by HTTP threads. */
    private final java.util.concurrent.ConcurrentHashMap<Long, Boolean> touchedSessions = new java.util.concurrent.ConcurrentHashMap<>();

    /** The open storage; null during an outage until it is reopened. Written by the core thread only. */
    private volatile NodeStorage storage;
    private volatile NodeStatus status;
    private volatile TreeState state = TreeState.initial();
    private volatile WatchRegistry watches;
    private volatile boolean running = true;
    /** This node's term as read from its storage, for peers that ask ({@link #term()}); -1 until it is read. */
    private volatile long storedTerm = -1;
    /** The first digest mismatch found ({@link NodeStatus#divergence()}); set once, by the core thread. */
    private volatile String divergence;

    // Owned by the core thread.
    private Replica<Pending> replica;
    /** Carries out the replica's output in the order the protocol needs; built with the replica. */
    private Sequencer<Pending> sequencer;
    private LogWriter writer;
    /** Bumped whenever storage is reopened, so that events of an earlier log writer are told apart. */
    private int generation;
    /** Requests handed to the replica and not yet completed: at a storage failure their outcome is unknown. */
    private final Set<Pending> inFlight = new HashSet<>();
    /** Non-null while the storage is unavailable (or reopened but not yet written to). */
    private StorageOutage outage;
    /** True once the first recovery succeeded; after that an outage resumes from the applied tree. */
    private boolean recovered;
    /** Term of the entry at the applied zxid, taken from the replica discarded at a storage failure. */
    private long appliedTerm;
    private int lastLeader;
    /** See {@link #publishStatus()}. */
    private boolean followerCaughtUp;
    /** Ticks since this node stopped leading with requests it took as leader still in flight. */
    private int ticksNotLeading;
    /** Actions waiting for the served tree to reach a zxid, by zxid. */
    private final java.util.TreeMap<Long, List<Runnable>> appliedWaiters = new java.util.TreeMap<>();
    /** The snapshot being fetched from a leader, if any. */
    private Message.InstallSnapshot fetching;
    /** Told after every change of the served tree; see {@link #addPublishedListener(Runnable)}. */
    private final List<Runnable> publishedListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * {@code storage} is the node's storage, already opened (and owned) by the caller, which hands it over: the
     * driver closes it. After a storage failure the driver opens a new one with {@code opener}. {@code onFatal}
     * hears, once, why the node stopped for good, and reports it.
     */
    public NodeDriver(Settings settings, NodeStorage storage, NodeStorage.Opener opener, NodeMetrics metrics, LongSupplier wallClockMs,
            Consumer<String> onFatal) {
        this(settings, storage, opener, metrics, wallClockMs, Transport.NONE, onFatal);
    }

    /** A member of a cluster: {@code transport} reaches the other members. */
    public NodeDriver(Settings settings, NodeStorage storage, NodeStorage.Opener opener, NodeMetrics metrics, LongSupplier wallClockMs,
            Transport transport, Consumer<String> onFatal) {
        this.transport = transport;
        this.onFatal = onFatal;
        this.settings = settings;
        this.storage = storage;
        this.opener = opener;
        this.metrics = metrics;
        this.wallClockMs = wallClockMs;
        this.inbox = new ArrayBlockingQueue<>(settings.queueMax());
        this.status = NodeStatus.starting(settings.raft().id());
        this.watches = new WatchRegistry(settings.journalEvents(), 0);
        this.coreThread = named("corral-core").newThread(this::runCore);
        SplittableRandom ids = new SplittableRandom(seeds.nextLong());
        // As ZooKeeper does, the top byte of a session id is the id of the node that created it.
        long prefix = (long) settings.raft().id() << 56;
        // Secrets are credentials: they come from the strong generator itself, never from a seeded one.
        this.prep = new Prep(settings.limits(), apply, () -> prefix | (ids.nextLong() >>> 8), () -> freshSecret(seeds));
        this.snapshotter = new Snapshotter(settings.raft().id(), settings.snapshotEveryEntries(), settings.snapshotEveryBytes(),
                settings.keepSnapshots(), metrics, new Snapshotter.Sink() {
                    @Override
                    public void done(SnapshotMeta meta) throws InterruptedException {
                        inbox.put(new SnapshotDone(meta));
                    }

                    @Override
                    public void failed(long index, Throwable cause) throws InterruptedException {
                        inbox.put(new SnapshotFailed(index, cause));
                    }
                });
    }

    /** Recovers durable state and starts serving, in the background; {@link #status()} tells when. */
    public void start() {
        coreThread.start();
    }

    // ---- Corral ----

    /**
     * A write. On the leader it is validated and proposed here; on a follower that knows a leader it is forwarded
     * there, and the answer waits until this node has applied the write (or, for a refusal, everything the leader
     * had applied when it refused), so that the client's next read here sees what its write saw.
     */
    @Override
    public CompletableFuture<Outcome> write(Op op, Caller caller) {
        return write(op, caller, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.leaderWaitMs()));
    }

    /**
     * A write that, while no leader is known or the known one cannot be reached (it died and no election has ended
     * yet), waits for the next leader until {@code deadline} instead of failing at once, as ZooKeeper's clients
     * queue their requests through a failover. Only requests that never reached a leader are sent again.
     */
    private CompletableFuture<Outcome> write(Op op, Caller caller, long deadline) {
        int leader = forwardTo();
        if (leader != 0) {
            CompletableFuture<dev.corral.peer.PeerCodec.Reply> forwarded = transport.forward(leader, op, caller);
            // A leader that stops answering (paused, cut off) is replaced within an election timeout; the client then
            // hears that the outcome is unknown instead of waiting for the forward's timeout.
            CompletableFuture<Void> replaced = whileWaiting(forwarded, leader);
            return forwarded.applyToEither(replaced.thenApply(v -> new dev.corral.peer.PeerCodec.Reply(new Outcome.Unknown(
                    "leader " + leader + " stopped answering, or was replaced, while it held this write"), 0)), r -> r).thenCompose(reply -> {
                // Never taken: the leader could not be reached, or it no longer leads (it names another leader or none).
                if (reply.outcome() instanceof Outcome.Unavailable u && u.leaderId() != leader && retryable(u) && System.nanoTime() < deadline) {
                    return afterLeaderChange(leader, deadline).thenCompose(v -> write(op, caller, deadline));
                }
                return afterLeader(reply);
            });
        }
        if (waitsForLeader() && System.nanoTime() < deadline) {
            return afterLeaderChange(0, deadline).thenCompose(v -> write(op, caller, deadline));
        }
        Pending p = new Pending(new CompletableFuture<>(), System.nanoTime(), true);
        offer(new Submit(op, caller, p), p.future);
        return p.future;
    }

    /** An answer that says the request was never taken by any leader: sending it again is safe. */
    private static boolean retryable(Outcome.Unavailable u) {
        return u.code() == ErrorCode.CONNECTION_LOSS;
    }

    /** True while this node runs, is part of a cluster and knows no leader: an election is under way. */
    private boolean waitsForLeader() {
        NodeStatus s = status;
        return s.phase() == NodeStatus.Phase.RUNNING && settings.raft().voters().size() + settings.raft().observers().size() > 1
                && s.leaderId() == 0;
    }

    /**
     * Completes when this node knows a leader other than {@code leader} (or leads itself), or knows none (its election
     * timeout passed without a word from {@code leader}), while {@code pending} is still not done; never completes if
     * {@code pending} finishes first.
     */
    private CompletableFuture<Void> whileWaiting(CompletableFuture<?> pending, int leader) {
        return whenStatus(s -> s.phase() == NodeStatus.Phase.RUNNING && (leadsOtherThan(s, leader) || s.leaderId() == 0), pending::isDone);
    }

    /**
     * Completes when a leader other than {@code formerLeader} is known, or at {@code deadline}, or when the node stops
     * running. The leader this node knows may stay the unreachable one until its election timeout ends.
     */
    private CompletableFuture<Void> afterLeaderChange(int formerLeader, long deadline) {
        return whenStatus(s -> leadsOtherThan(s, formerLeader) || System.nanoTime() >= deadline || s.phase() != NodeStatus.Phase.RUNNING,
                () -> false);
    }

    /** True if {@code s} names a leader other than {@code leader}, or this node leads. */
    private static boolean leadsOtherThan(NodeStatus s, int leader) {
        return (s.leaderId() != 0 && s.leaderId() != leader) || s.role() == Role.LEADER;
    }

    /**
     * Completes once {@code done} holds for this node's status, checked every tick on a timer thread; stops checking,
     * without completing, once {@code abandoned} holds.
     */
    private CompletableFuture<Void> whenStatus(Predicate<NodeStatus> done, BooleanSupplier abandoned) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        Executor nextTick = CompletableFuture.delayedExecutor(Math.max(1, settings.tickMs()), TimeUnit.MILLISECONDS);
        Runnable check = new Runnable() {
            @Override
            public void run() {
                if (abandoned.getAsBoolean()) return;
                if (done.test(status)) result.complete(null);
                else nextTick.execute(this);
            }
        };
        nextTick.execute(check);
        return result;
    }

    /** ZooKeeper's sync: completes once this node has applied every write the leader had accepted when it was asked. */
    @Override
    public CompletableFuture<Outcome> sync() {
        return barrier(false);
    }

    /**
     * A read barrier. {@code linearizable} false is {@link #sync()}. True: completes once this node has applied the
     * leader's read index — its commit index when the call reached it, confirmed by a quorum that still followed it
     * <em>after</em> that (see {@code Replica.readBarrier}); every write acknowledged before the call is at or below it.
     * A read of this node's tree after that is linearizable.
     */
    @Override
    public CompletableFuture<Outcome> barrier(boolean linearizable) {
        int leader = forwardTo();
        if (leader != 0) return transport.barrier(leader, linearizable).thenCompose(this::afterLeader);
        Pending p = new Pending(new CompletableFuture<>(), System.nanoTime(), false);
        offer(new Barrier(linearizable, p), p.future);
        return p.future;
    }

    /** Completes once this node's served tree has applied {@code zxid} (at once if it has); refused if the node is not running. */
    @Override
    public CompletableFuture<Outcome> awaitApplied(long zxid) {
        CompletableFuture<Outcome> f = new CompletableFuture<>();
        Outcome done = new Outcome.Done(new dev.corral.tree.OpResult.Nothing(), zxid);
        if (state.lastZxid() >= zxid) {
            f.complete(done);
        } else {
            offer(new AwaitApplied(zxid, () -> f.complete(done)), f);
        }
        return f;
    }

    /** The leader to forward to: non-zero when this node runs, follows, and knows a leader. */
    private int forwardTo() {
        NodeStatus s = status;
        if (s.phase() != NodeStatus.Phase.RUNNING || s.role() == Role.LEADER || s.leaderId() == 0 || s.leaderId() == s.nodeId()) return 0;
        return s.leaderId();
    }

    /** The leader answered: wait until this node has applied what the answer reflects. */
    private CompletableFuture<Outcome> afterLeader(dev.corral.peer.PeerCodec.Reply reply) {
        Outcome o = reply.outcome();
        long zxid = switch (o) {
            case Outcome.Done d -> Math.max(d.zxid(), reply.appliedZxid());
            case Outcome.Refused r -> reply.appliedZxid();
            default -> 0;
        };
        if (zxid <= state.lastZxid()) return CompletableFuture.completedFuture(o);
        CompletableFuture<Outcome> f = new CompletableFuture<>();
        offer(new AwaitApplied(zxid, () -> f.complete(o)), f);
        return f;
    }

    @Override
    public CompletableFuture<Boolean> touchSession(long sessionId) {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        NodeStatus s = status;
        if (s.phase() == NodeStatus.Phase.STORAGE_UNAVAILABLE) {
            // No session expires while the storage is away: expiry needs a write, and the rebuilt replica gives
            // every session a full timeout. So a session the tree holds is alive.
            f.complete(state.session(sessionId) != null);
        } else if (s.phase() != NodeStatus.Phase.RUNNING) {
            f.complete(false);
        } else if (s.role() != Role.LEADER && s.leaderId() != 0) {
            // A follower vouches for a session its tree holds, and passes the heartbeat on to the leader, whose
            // tracker decides expiry, at its next tick, batched with the others.
            boolean known = state.session(sessionId) != null;
            if (known) touchedSessions.put(sessionId, Boolean.TRUE);
            f.complete(known);
        } else if (!inbox.offer(new Touch(sessionId, f))) {
            f.complete(false);
        }
        return f;
    }

    private void offer(Event e, CompletableFuture<Outcome> future) {
        NodeStatus s = status;
        if (s.phase() != NodeStatus.Phase.RUNNING) {
            future.complete(s.refusal());
        } else if (!inbox.offer(e)) {
            future.complete(new Outcome.Unavailable(ErrorCode.THROTTLED_OP, s.leaderId(), "node " + s.nodeId() + " is overloaded; retry later"));
        }
    }

    @Override
    public TreeState state() {
        return state;
    }

    @Override
    public WatchRegistry watches() {
        return watches;
    }

    @Override
    public NodeStatus status() {
        return status;
    }

    public long logBytes() {
        NodeStorage s = storage;
        return s == null ? 0 : s.log().sizeBytes();
    }

    public long logEntries() {
        NodeStorage s = storage;
        return s == null ? 0 : Math.max(0, s.log().lastIndex() - s.log().base().index());
    }

    public int aclLists() {
        return acls.size();
    }

    // ---- core thread ----

    private void runCore() {
        try {
            openReplica();
        } catch (Throwable t) {
            fail("recovery failed", t);
            return;
        }
        long tickNanos = TimeUnit.MILLISECONDS.toNanos(settings.tickMs());
        long nextTick = System.nanoTime();
        List<Event> batch = new ArrayList<>();
        while (running) {
            try {
                long now = System.nanoTime();
                long wait = replica == null ? outage.nanosUntilAttempt(now) : nextTick - now;
                Event first = wait > 0 ? inbox.poll(wait, TimeUnit.NANOSECONDS) : inbox.poll();
                if (first != null) {
                    batch.add(first);
                    inbox.drainTo(batch, DRAIN_MAX);
                    for (Event e : batch) handle(e);
                    batch.clear();
                }
                now = System.nanoTime();
                if (replica == null) {
                    if (running && outage.attemptDue(now)) reopen();
                    continue;
                }
                if (now - nextTick >= 0) {
                    passOnHeartbeats();
                    replica.tick(wallClockMs.getAsLong());
                    answerOrphanedRequests();
                    nextTick = Math.max(nextTick + tickNanos, now - tickNanos);
                }
                drainOutput();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Throwable t) {
                fail("the core thread failed", t);
                return;
            }
        }
    }

    private static SessionSecret freshSecret(SecureRandom random) {
        while (true) {
            SessionSecret s = new SessionSecret(random.nextLong(), random.nextLong());
            if (!s.isNone()) return s;
        }
    }

    /** An attempt to reopen the storage after an outage; a broken invariant found then stops the node. */
    private void reopen() throws InterruptedException {
        try {
            openReplica();
        } catch (RuntimeException e) {
            fail("reopening the storage after an outage failed", e);
        }
    }

    /**
     * Opens storage if it is closed and builds the replica from what is durable: at the first start from the
     * newest snapshot and the log after it, after an outage from the tree this node applied and the durable log
     * after it. A storage failure (re)schedules an attempt; corruption and broken invariants propagate and stop
     * the node, and so does storage this node must not use.
     */
    private void openReplica() throws InterruptedException {
        long started = System.nanoTime();
        int id = settings.raft().id();
        if (outage != null) outage.attempt();
        Recovery.Recovered r;
        try {
            if (storage == null) storage = opener.open();
            r = recovered ? Recovery.resume(id, storage.log(), state, appliedTerm)
                    : Recovery.recover(id, storage.log(), storage.snapshots(), acls);
        } catch (StorageRefusedException e) {
            throw e;
        } catch (StorageException e) {
            storageFailed(e);
            return;
        }
        HardState hardState = r.hardState();
        long lostThroughTerm = -1;
        if (!recovered) {
            storedTerm = hardState.term();
            boolean empty = LostStorage.empty(hardState, storage.log().lastIndex()) && r.state().lastZxid() == 0;
            boolean voterOfSeveral = !settings.raft().isObserver() && settings.raft().voters().size() > 1;
            if (LostStorage.mustAsk(voterOfSeveral, empty, settings.storageLost())) {
                LostStorage.Decision d = askOtherVoters(hardState, empty);
                if (d.lost()) {
                    try {
                        storage.log().write(d.hardState(), List.of());
                    } catch (StorageException e) {
                        storageFailed(e);
                        return;
                    }
                    hardState = d.hardState();
                    storedTerm = hardState.term();
                    lostThroughTerm = d.acknowledgedThroughTerm();
                    LOG.warnf("node %d: %s; it starts at term %d and does not vote until it holds a committed entry of a term"
                            + " after %d", id, empty ? "started on empty storage in a cluster that has a history: its data directory"
                            + " was lost" : "corral.storage-lost is set: its storage may have lost acknowledged entries",
                            hardState.term(), lostThroughTerm);
                }
            }
        }
        replica = new Replica<>(settings.raft(), new SplittableRandom(seeds.nextLong()), prep, apply,
                new Replica.Settings(settings.limits(), settings.reapIntervalTicks(), settings.pendingRequestsMax(), settings.digestEveryEntries()),
                r.state(),
                r.snapshotTerm(), hardState,
                r.entries());
        if (lostThroughTerm >= 0) replica.markStorageLost(lostThroughTerm);
        sequencer = new Sequencer<>(replica, new DriverIo());
        startWriter();
        if (!recovered) {
            recovered = true;
            outage = null;
            snapshotter.startedAt(r.state().lastZxid());
            state = r.state();
            watches = new WatchRegistry(settings.journalEvents(), replica.lastIndex(), settings.watchedPathsPerSessionMax(),
                    settings.watchedPathsMax());
            LOG.infof("node %d: recovered to zxid %d (snapshot at %d, %d log entries after it) in %d ms", id, replica.lastIndex(),
                    r.state().lastZxid(), r.entries().size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } else {
            outage.reopened = true;
            LOG.infof("node %d: storage reopened at attempt %d; re-read the durable log: %d entries after the applied zxid %d,"
                    + " last index %d; writes resume after a first durable write", id, outage.attempts(), r.entries().size(),
                    state.lastZxid(), replica.lastIndex());
        }
        publishStatus();
    }

    /**
     * Asks the other voters for their current term until as many as a quorum have answered, and decides with
     * {@link LostStorage#decide}. Blocks the core thread, which has nothing else to do before its replica exists;
     * the node is not ready meanwhile and says why.
     */
    private LostStorage.Decision askOtherVoters(HardState stored, boolean empty) throws InterruptedException {
        int id = settings.raft().id();
        List<Integer> others = settings.raft().voters().stream().filter(v -> v != id).sorted().toList();
        int needed = LostStorage.answersNeeded(settings.raft().voters().size());
        long nextLog = System.nanoTime();
        while (running) {
            Map<Integer, CompletableFuture<Long>> asked = new java.util.TreeMap<>();
            for (int peer : others) asked.put(peer, transport.term(peer));
            Map<Integer, Long> answers = new java.util.TreeMap<>();
            for (Map.Entry<Integer, CompletableFuture<Long>> e : asked.entrySet()) {
                try {
                    long term = e.getValue().get(PEER_TERM_WAIT_MS, TimeUnit.MILLISECONDS);
                    if (term >= 0) answers.put(e.getKey(), term);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ignored) {
                    // No answer from that member this round.
                }
            }
            if (answers.size() >= needed) {
                LOG.infof("node %d: %s; the other voters' terms: %s", id, empty ? "started on empty storage" : "corral.storage-lost is set",
                        answers);
                return LostStorage.decide(stored, empty, settings.storageLost(), answers.values());
            }
            String why = "waiting for the terms of " + needed + " of the other voters " + others + " before voting (" + (empty
                    ? "empty storage: a new cluster or a lost data directory" : "corral.storage-lost is set") + "); answered so far: " + answers;
            NodeStatus s = status;
            status = new NodeStatus(NodeStatus.Phase.RECOVERING, id, s.role(), 0, stored.term(), 0, 0, 0, false, why);
            if (System.nanoTime() - nextLog >= 0) {
                LOG.info("node " + id + ": " + why);
                nextLog = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            }
            Thread.sleep(PEER_TERM_WAIT_MS);
        }
        throw new InterruptedException("stopped while asking the other voters for their terms");
    }

    /** This node's current term for a peer that asks; -1 until it has read its storage. */
    public long term() {
        long stored = storedTerm;
        return stored < 0 ? -1 : Math.max(stored, status.term());
    }

    private void startWriter() {
        int gen = ++generation;
        writer = new LogWriter(storage.log(), metrics, new LogWriter.Listener() {
            @Override
            public void persisted(long writeId) throws InterruptedException {
                inbox.put(new Persisted(gen, writeId));
            }

            @Override
            public void failed(Throwable cause) throws InterruptedException {
                inbox.put(new WriteFailed(gen, cause));
            }
        });
        writer.start();
    }

    private void handle(Event e) throws InterruptedException {
        switch (e) {
            case Submit s -> {
                if (outage != null) {
                    s.pending().future().complete(status.refusal());
                } else {
                    inFlight.add(s.pending());
                    replica.submit(s.op(), s.caller(), wallClockMs.getAsLong(), s.pending());
                }
            }
            case Sync s -> {
                if (outage != null) {
                    s.pending().future().complete(status.refusal());
                } else {
                    inFlight.add(s.pending());
                    replica.sync(s.pending());
                }
            }
            case Touch t -> t.result().complete(outage != null ? state.session(t.sessionId()) != null
                    : replica.touchSession(t.sessionId(), wallClockMs.getAsLong()) || (!replica.isLeader() && state.session(t.sessionId()) != null));
            case Persisted p -> {
                if (p.generation() != generation || replica == null) return;
                sequencer.durable(p.writeId());
                if (outage != null) storageResumed();
            }
            case WriteFailed f -> {
                if (f.generation() == generation && replica != null) storageFailed(f.cause());
            }
            case SnapshotDone d -> onSnapshotDone(d.meta());
            case Deliver d -> {
                if (replica == null) return;
                for (Message m : d.messages()) {
                    if (m instanceof Message.InstallSnapshot is) onInstallSnapshot(is);
                    else replica.step(m);
                }
            }
            case SnapshotFetched f -> {
                fetching = null;
                if (replica != null && sequencer.installSnapshot(f.m(), f.state())) installed(f.state());
            }
            case SnapshotFetchEnded f -> fetching = null;
            case Touched t -> {
                if (replica != null) for (long id : t.sessionIds()) replica.touchSession(id, wallClockMs.getAsLong());
            }
            case AwaitApplied a -> {
                if (state.lastZxid() >= a.zxid()) a.then().run();
                else appliedWaiters.computeIfAbsent(a.zxid(), k -> new ArrayList<>(1)).add(a.then());
            }
            case Barrier b -> {
                if (outage != null) {
                    b.pending().future().complete(status.refusal());
                } else {
                    inFlight.add(b.pending());
                    if (b.linearizable()) replica.readBarrier(b.pending());
                    else replica.sync(b.pending());
                }
            }
            case SnapshotFailed f -> snapshotter.failed(f.index(), f.cause());
        }
    }

    /** Carries out the replica's output (through {@link DriverIo}) until it has none. */
    private void drainOutput() {
        sequencer.drain();
        publishStatus();
        if (outage == null) snapshotter.maybeStart(state, replica::termAt, storage.snapshots());
    }

    /**
     * The node's adapters for the {@link Sequencer}: the log writer, the watchers and the client requests.
     * Completing on the core thread is cheap: what continues a request only builds its response and hands it to
     * the HTTP layer's own threads (measured: 15–20% more writes per second than a hop through a completer thread).
     */
    private final class DriverIo implements Sequencer.Io<Pending> {
        @Override
        public void write(long writeId, HardState hardState, List<Entry> entries) {
            writer.append(writeId, hardState, entries);
        }

        @Override
        public void resetToSnapshot(long writeId, Message.InstallSnapshot m) {
            writer.reset(writeId, m.index(), m.snapshotTerm());
        }

        @Override
        public void send(Message m) {
            transport.send(m);
        }

        @Override
        public void softState(SoftState s) {
            onSoftState(s);
        }

        @Override
        public void applied(Entry e) {
            snapshotter.committed(e.data().length);
        }

        @Override
        public void committed(TreeState committed, List<TreeChange> changes, List<Long> closedSessions) {
            watches.atomically(() -> {
                watches.dispatch(changes);
                for (long id : closedSessions) watches.dropSession(id, committed.lastZxid());
                state = committed;
                return null;
            });
            releaseAppliedWaiters();
        }

        @Override
        public void digestMismatch(dev.corral.tree.DigestMismatch m) {
            LOG.errorf("node %d: %s; this node's tree differs from the leader's, it is not ready until it restarts", settings.raft().id(),
                    m.describe());
            metrics.digestMismatch();
            if (divergence == null) divergence = m.describe();
        }

        @Override
        public void completed(Replica.Completion<Pending> c) {
            inFlight.remove(c.token());
            metrics.commit(System.nanoTime() - c.token().startNanos());
            c.token().future().complete(c.outcome());
        }
    }

    private void onSoftState(SoftState soft) {
        if (soft.leaderId() != lastLeader) {
            if (soft.leaderId() != 0) {
                LOG.infof("node %d: node %d is leader at term %d", settings.raft().id(), soft.leaderId(), soft.term());
                metrics.leaderChanged();
            }
            lastLeader = soft.leaderId();
        }
    }

    private void publishStatus() {
        int id = settings.raft().id();
        NodeStatus.Phase phase = outage == null ? NodeStatus.Phase.RUNNING
                : recovered ? NodeStatus.Phase.STORAGE_UNAVAILABLE : NodeStatus.Phase.RECOVERING;
        String failure = outage == null ? null : outage.describe();
        if (replica == null || outage != null) {
            // Without a replica, or before a rebuilt one has written, the picture stays as it was when the storage
            // failed; the served tree is what it was, and it holds every acknowledged write only if it did then.
            NodeStatus s = status;
            boolean complete = outage != null && outage.treeComplete;
            status = new NodeStatus(phase, id, s.role(), s.leaderId(), s.term(), s.commitIndex(), state.lastZxid(), s.lastIndex(),
                    complete, failure, divergence);
            return;
        }
        SoftState s = replica.softState();
        long commit = replica.commitIndex();
        long applied = state.lastZxid();
        boolean caughtUp;
        if (s.role() == Role.LEADER) {
            followerCaughtUp = false;
            caughtUp = applied >= commit && replica.termAt(commit) == s.term();
        } else {
            // A follower learns a commit index with the entries it covers, before they are durable here, so applied
            // trails commit by a disk write whenever writes flow. It counts as caught up once it has applied what was
            // committed when it began to follow this leader, and stays so while it follows one and does not fall
            // behind by more than FOLLOWER_LAG_MAX; its reads are sequentially consistent either way.
            // The commit index counts only once the leader has matched this log: before that it is what this node
            // remembered (0 on empty storage), not the leader's.
            if (s.leaderId() == 0 || commit - applied > FOLLOWER_LAG_MAX) followerCaughtUp = false;
            else if (applied >= commit && replica.matchesLeader()) followerCaughtUp = true;
            caughtUp = followerCaughtUp;
        }
        status = new NodeStatus(phase, id, s.role(), s.leaderId(), s.term(), commit, applied, replica.lastIndex(), caughtUp, failure,
                divergence);
    }

    // ---- cluster ----

    /** Steps from peers, from the HTTP threads; false if the inbox is full (the messages are dropped, as a network may). */
    public boolean deliver(List<Message> messages) {
        return status.phase() == NodeStatus.Phase.RUNNING && inbox.offer(new Deliver(messages));
    }

    /** Heartbeats a follower passed on; dropped if the inbox is full (the next ones come within a tick). */
    public void touched(long[] sessionIds) {
        inbox.offer(new Touched(sessionIds));
    }

    /** A write a follower forwarded: proposed here if this node leads, else refused with the leader it knows. */
    public CompletableFuture<Outcome> forwarded(Op op, Caller caller) {
        Pending p = new Pending(new CompletableFuture<>(), System.nanoTime(), true);
        offer(new Submit(op, caller, p), p.future);
        return p.future;
    }

    /** A barrier a follower asked for; answered only by a leader. */
    public CompletableFuture<Outcome> barrierForPeer(boolean linearizable) {
        Pending p = new Pending(new CompletableFuture<>(), System.nanoTime(), false);
        offer(new Barrier(linearizable, p), p.future);
        return p.future;
    }

    /** The stored snapshot at ({@code index}, {@code term}) for a follower to fetch, or null if not held. */
    public java.io.InputStream snapshotBytes(long index, long term) throws java.io.IOException {
        NodeStorage s = storage;
        if (s == null) return null;
        for (SnapshotMeta m : s.snapshots().list()) {
            if (m.index() == index && m.term() == term) return s.snapshots().open(m.id());
        }
        return null;
    }

    private void passOnHeartbeats() {
        if (touchedSessions.isEmpty()) return;
        int leader = lastLeader;
        long[] ids = touchedSessions.keySet().stream().mapToLong(Long::longValue).toArray();
        for (long id : ids) touchedSessions.remove(id);
        if (leader != 0 && leader != settings.raft().id()) transport.touch(leader, ids);
    }

    private void releaseAppliedWaiters() {
        long applied = state.lastZxid();
        while (!appliedWaiters.isEmpty() && appliedWaiters.firstKey() <= applied) {
            for (Runnable r : appliedWaiters.pollFirstEntry().getValue()) r.run();
        }
        for (Runnable r : publishedListeners) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.errorf(e, "node %d: a listener of the served tree failed", settings.raft().id());
            }
        }
    }

    @Override
    public void addPublishedListener(Runnable listener) {
        publishedListeners.add(listener);
    }

    /**
     * A leader tells this node to install its snapshot. If the log already holds what the snapshot covers, the core
     * takes the message as it is; otherwise the snapshot is fetched (in the background, in chunks) and stored
     * durably before the core sees the message, which it then acknowledges only after the log reset is durable too.
     */
    private void onInstallSnapshot(Message.InstallSnapshot m) {
        if (m.term() < replica.softState().term() || m.index() <= replica.commitIndex() || replica.termAt(m.index()) == m.snapshotTerm()) {
            // Stale, or covered by what this log holds: the core answers without replacing its log.
            replica.step(m);
            return;
        }
        if (fetching != null) return;
        fetching = m;
        NodeStorage s = storage;
        Thread.ofPlatform().daemon().name("corral-snapshot-fetch").start(() -> fetchSnapshot(m, s));
    }

    private void fetchSnapshot(Message.InstallSnapshot m, NodeStorage s) {
        int id = settings.raft().id();
        long started = System.nanoTime();
        try {
            dev.corral.storage.SnapshotStore.Writer w = s.snapshots().begin(m.index(), m.snapshotTerm());
            boolean held;
            SnapshotMeta stored = null;
            try {
                held = transport.fetchSnapshot(m.from(), m.index(), m.snapshotTerm(), w);
                if (held) stored = w.commit();
                else w.abort();
            } catch (Exception e) {
                w.abort();
                throw e;
            }
            if (!held) {
                LOG.infof("node %d: node %d no longer holds its snapshot at index %d (a newer one replaced it); waiting for the"
                        + " leader to offer another", id, m.from(), m.index());
                inbox.put(new SnapshotFetchEnded(m));
                return;
            }
            TreeState fetched;
            try (java.io.InputStream in = s.snapshots().open(stored.id())) {
                fetched = dev.corral.tree.SnapshotCodec.read(in, acls);
            }
            LOG.infof("node %d: fetched and stored the snapshot of node %d at index %d in %d ms", id, m.from(), m.index(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            inbox.put(new SnapshotFetched(m, fetched));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf("node %d: fetching the snapshot of node %d at index %d failed: %s; the leader will offer it again", id, m.from(),
                    m.index(), e.toString());
            inbox.offer(new SnapshotFetchEnded(m));
        }
    }

    /** The replica restored from a leader's snapshot: it is the served tree now. */
    private void installed(TreeState snapshot) {
        TreeState before = state;
        WatchRegistry w = watches;
        // Watches learn what the jump changed before a read can see it, as with applied transactions.
        w.atomically(() -> {
            w.dispatchJump(before, snapshot);
            state = snapshot;
            return null;
        });
        snapshotter.startedAt(snapshot.lastZxid());
        releaseAppliedWaiters();
        LOG.infof("node %d: installed the leader's snapshot at zxid %d", settings.raft().id(), snapshot.lastZxid());
    }

    // ---- storage outages ----

    /**
     * The storage failed: stop writing, answer the requests in flight (their writes may or may not be durable),
     * close the storage and schedule an attempt to reopen it. Reads go on from the served tree.
     */
    private void storageFailed(Throwable cause) throws InterruptedException {
        long now = System.nanoTime();
        int id = settings.raft().id();
        String why = String.valueOf(cause.getMessage());
        metrics.storageFailed();
        if (outage == null) {
            outage = new StorageOutage(now, wallClockMs.getAsLong(), recovered && status.isReady(), why);
            LOG.errorf("node %d: storage failed: %s. Until it is back writes are refused and %s; reopening it with backoff", id, why,
                    outage.treeComplete ? "reads served from zxid " + state.lastZxid() : "so are reads (the tree had not caught up)");
        } else {
            outage.failedAgain(now, why);
            LOG.warnf("node %d: %s", id, outage.describe());
        }
        if (replica != null) {
            appliedTerm = replica.termAt(state.lastZxid());
            replica = null;
            sequencer = null;
        }
        // Not ready before anyone hears of the failure, so that no client sees ready after its write failed.
        publishStatus();
        if (writer != null) {
            writer.close();
            writer = null;
        }
        failInFlight(why);
        snapshotter.awaitIdle(SNAPSHOT_DRAIN_SECONDS);
        closeStorage();
    }

    /** The first durable write on reopened storage: it is back, and the node takes writes again. */
    private void storageResumed() {
        LOG.infof("node %d: storage is back after %d ms and %d reopen attempt(s); taking writes again at index %d",
                settings.raft().id(), outage.millisSince(System.nanoTime()), outage.attempts(), replica.lastIndex());
        outage = null;
        publishStatus();
    }

    /**
     * Requests this node took as leader wait for their entry to commit or be replaced, which a node that stopped
     * leading (check-quorum, a higher term) may not learn for as long as it is cut off. Once it has not led for an
     * election timeout, it tells their clients that the outcome is unknown, as a ZooKeeper server that loses its
     * quorum drops its clients' connections. The replica may still answer them later; those answers are not needed.
     */
    private void answerOrphanedRequests() {
        boolean leading = replica.softState().role() == Role.LEADER;
        if (inFlight.isEmpty() || leading || settings.raft().voters().size() == 1) {
            ticksNotLeading = 0;
            return;
        }
        if (++ticksNotLeading < settings.raft().electionTicks()) return;
        int id = settings.raft().id();
        answerInFlight("node " + id + " stopped leading before this write committed (it lost its quorum or a newer leader exists);"
                + " a later leader may still commit it", "node " + id + " stopped leading before the barrier completed");
        ticksNotLeading = 0;
    }

    private void failInFlight(String why) {
        int id = settings.raft().id();
        answerInFlight("node " + id + " lost its storage (" + why + ") before this write was known to be durable",
                "node " + id + " lost its storage (" + why + ")");
    }

    /** Answers every request handed to the replica: a write's outcome is unknown, anything else was not done. */
    private void answerInFlight(String writeUnknown, String otherUnavailable) {
        for (Pending p : inFlight) {
            p.future().complete(p.write() ? new Outcome.Unknown(writeUnknown)
                    : new Outcome.Unavailable(ErrorCode.CONNECTION_LOSS, 0, otherUnavailable));
        }
        inFlight.clear();
    }

    private void closeStorage() {
        NodeStorage s = storage;
        storage = null;
        if (s != null) s.close();
    }

    // ---- snapshots ----

    /** A snapshot is durable: compact the log behind it, keeping {@code keepEntries} for followers that lag. */
    private void onSnapshotDone(SnapshotMeta meta) {
        snapshotter.done(meta);
        // During an outage the log cannot be compacted; the next snapshot after it will do it.
        if (outage != null || replica == null) return;
        replica.snapshotted(meta.index());
        long compactTo = meta.index() - settings.keepEntries();
        if (compactTo > storage.log().base().index()) {
            long term = replica.termAt(compactTo);
            if (term > 0) {
                replica.compact(compactTo);
                writer.compact(compactTo, term);
            }
        }
    }

    // ---- shutdown and failure ----

    /** Stops the node for good: a broken invariant, a corrupt log, or storage it must not use. */
    private void fail(String what, Throwable t) {
        if (!running) return;
        String message = what + ": " + t.getMessage();
        // An expected refusal (a corrupt log, storage this node must not use) says everything in its message, which
        // onFatal reports: one line, no stack trace to bury it. Anything else is a bug, and its trace matters.
        if (!(t instanceof CorruptLogException || t instanceof StorageRefusedException)) {
            LOG.errorf(t, "node %d: %s", settings.raft().id(), message);
        }
        running = false;
        NodeStatus s = status;
        status = new NodeStatus(NodeStatus.Phase.FAILED, s.nodeId(), s.role(), s.leaderId(), s.term(), s.commitIndex(), s.appliedZxid(),
                s.lastIndex(), false, message);
        failInFlight("the node stopped: " + message);
        List<Event> left = new ArrayList<>();
        inbox.drainTo(left);
        Outcome outcome = new Outcome.Unavailable(ErrorCode.CONNECTION_LOSS, 0, "node stopped: " + message);
        for (Event e : left) {
            if (e instanceof Submit s2) s2.pending().future().complete(outcome);
            else if (e instanceof Sync s2) s2.pending().future().complete(outcome);
        }
        onFatal.accept(message);
    }

    @Override
    public void close() {
        running = false;
        coreThread.interrupt();
        try {
            coreThread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LogWriter w = writer;
        if (w != null) w.close();
        snapshotter.close();
        closeStorage();
        NodeStatus s = status;
        if (s.phase() != NodeStatus.Phase.FAILED) {
            status = new NodeStatus(NodeStatus.Phase.STOPPED, s.nodeId(), s.role(), s.leaderId(), s.term(), s.commitIndex(),
                    s.appliedZxid(), s.lastIndex(), false, null);
        }
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
