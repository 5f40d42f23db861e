package dev.corral.replica;

import dev.corral.consensus.Entry;
import dev.corral.consensus.HardState;
import dev.corral.consensus.Message;
import dev.corral.consensus.ProposeResult;
import dev.corral.consensus.RaftConfig;
import dev.corral.consensus.RaftCore;
import dev.corral.consensus.Ready;
import dev.corral.consensus.Role;
import dev.corral.consensus.SoftState;
import dev.corral.session.SessionTracker;
import dev.corral.tree.Apply;
import dev.corral.tree.Caller;
import dev.corral.tree.DigestMismatch;
import dev.corral.tree.ErrorCode;
import dev.corral.tree.Op;
import dev.corral.tree.OpResult;
import dev.corral.tree.Prep;
import dev.corral.tree.SessionEntry;
import dev.corral.tree.TreeChange;
import dev.corral.tree.TreeState;
import dev.corral.txn.Txn;
import dev.corral.txn.TxnCodec;
import dev.corral.txn.TxnRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One replica of the znode tree: the replication core, request validation and the state machine, glued
 * together without I/O, threads or clocks, so that the production driver and the simulator run the same
 * code.
 *
 * <p>Writes go: {@link #submit} validates the request against the leader's newest (speculative) state,
 * proposes the outcome and applies it there; the driver persists what {@link #process} returns; once the
 * entry is committed and durable, the state it produced becomes the committed state and the request
 * completes with the result computed then. A refusal waits until everything proposed before it has been
 * applied, so that a client never sees an error caused by a change that might still be lost.
 *
 * <p><b>One tree, each entry applied once.</b> A leader keeps, for every entry of its log after the committed
 * state, the {@link Apply.Applied} it computed when it proposed the entry (or when its leadership began):
 * a chain of states, each derived from the one before and sharing all untouched structure with it. When an
 * entry commits and is the one the chain was built from (same index, term and payload), its state is taken
 * as the committed state as it is: the tree is not built a second time. Any other committed entry (a
 * follower's, or one that replaced the leader's after its leadership ended) drops the chain and is applied to
 * the committed state; so is every entry on a follower. Either way the committed state after entry i is the
 * same function of entries 1..i, so the tree equals the replay of the log (the simulator checks it).
 *
 * <p>Not thread-safe: one driver thread owns it. {@code T} is the driver's completion token.
 */
public final class Replica<T> {
    /**
     * Settings of the state machine around the core.
     *
     * @param pendingRequestsMax requests validated here and waiting for their outcome (a commit, or the commit of
     *                           earlier writes), at most; beyond it a new request is answered {@code THROTTLED_OP} at
     *                           once. This bounds what a leader holds per write in flight: its waiter and its
     *                           speculative state (see {@link Speculation})
     * @param digestEveryEntries while leading, propose a {@link Txn.DigestCheck} once this many entries follow the last
     *                           one (looked at every tick, so at most one per tick); 0 turns digest checks off: none
     *                           proposed, and none that another leader proposed is reported
     */
    public record Settings(Prep.Limits limits, int reapIntervalTicks, int pendingRequestsMax, int digestEveryEntries) {
        public Settings {
            if (pendingRequestsMax < 1) throw new IllegalArgumentException("pendingRequestsMax must be positive, got " + pendingRequestsMax);
            if (digestEveryEntries < 0) throw new IllegalArgumentException("digestEveryEntries must not be negative, got " + digestEveryEntries);
        }

        /** With digest checks every {@link #DIGEST_EVERY_ENTRIES_DEFAULT} entries. */
        public Settings(Prep.Limits limits, int reapIntervalTicks, int pendingRequestsMax) {
            this(limits, reapIntervalTicks, pendingRequestsMax, DIGEST_EVERY_ENTRIES_DEFAULT);
        }
    }

    /** The default of {@link Settings#pendingRequestsMax()}; see {@code corral.limits.pending-requests-max}. */
    public static final int PENDING_REQUESTS_DEFAULT = 10_000;
    /** The default of {@link Settings#digestEveryEntries()}; see {@code corral.digest.every-entries}. */
    public static final int DIGEST_EVERY_ENTRIES_DEFAULT = 1_000;

    /**
     * What the driver must do after an input; see {@link Ready} for the order of persisting and sending.
     * {@code digestMismatches}: the digest checks among the entries applied now that found this node's tree different
     * from the leader's, in index order; each is reported once. The tree has diverged: the driver must say so loudly
     * and stop claiming to be ready.
     */
    public record Output<T>(Ready ready, List<Completion<T>> completions, List<TreeChange> changes, TreeState committed,
            List<Long> closedSessions, List<DigestMismatch> digestMismatches) {
        public boolean isEmpty() {
            return ready == null && completions.isEmpty();
        }
    }

    public record Completion<T>(T token, Outcome outcome) {}

    private record Waiter<T>(long term, T token, Outcome.Refused refusal, boolean barrier) {}

    private final RaftCore core;
    private final Prep prep;
    private final Apply apply;
    private final Settings settings;
    private final SessionTracker sessions = new SessionTracker();
    private final TreeMap<Long, List<Waiter<T>>> waiting = new TreeMap<>();
    /** Waiters in {@link #waiting}, at most {@link Settings#pendingRequestsMax()}. */
    private int waiters;
    private final List<Completion<T>> completions = new ArrayList<>();
    private TreeState committed;
    /**
     * The leader's state including every proposed entry; null when not leading. Valid only while the core leads
     * {@link #speculativeTerm}: the core changes role inside {@link #step} and {@link #tick}, and a driver may
     * feed several inputs before it calls {@link #process}, so every use first calls {@link #followCoreRole}.
     * It is {@link #committed} or the newest state of {@link #speculated}.
     */
    private TreeState speculative;
    /** While leading: the state after each log entry after {@link #committed}, computed once. */
    private final Speculation speculated;
    private long speculativeTerm;
    private long nowMs;
    private int ticksSinceReap;
    /** Index of the newest digest check this node proposed or applied: a leader proposes the next one after it. */
    private long lastDigestCheckIndex;
    private final List<DigestMismatch> digestMismatches = new ArrayList<>(0);
    /** Read-index reads the core has not confirmed yet, by context; counted in {@link #waiters}. */
    private final Map<Long, T> reads = new HashMap<>();
    private long lastReadContext;

    public Replica(RaftConfig config, java.util.random.RandomGenerator random, Prep prep, Apply apply, Settings settings,
            TreeState snapshotState, long snapshotTerm, HardState hardState, List<Entry> storedEntries) {
        this.core = new RaftCore(config, random, hardState, snapshotState.lastZxid(), snapshotTerm, storedEntries);
        this.prep = prep;
        this.apply = apply;
        this.speculated = new Speculation(apply);
        this.settings = settings;
        this.committed = snapshotState;
    }

    // ---- inputs ----

    /** Advances time: the core's tick, session expiry and TTL/container reaping (leader only). */
    public void tick(long nowMs) {
        this.nowMs = nowMs;
        core.tick();
        followCoreRole();
        if (speculative == null) return;
        for (long id : sessions.expired(nowMs)) {
            proposeInternal(new Op.CloseSession(id));
        }
        if (++ticksSinceReap >= settings.reapIntervalTicks()) {
            ticksSinceReap = 0;
            reapCandidates();
        }
        maybeProposeDigestCheck();
    }

    /**
     * Proposes a {@link Txn.DigestCheck} if enough entries follow the last one. It carries the digest of the speculative
     * state, which is the state after every entry before the check's own: what every node has applied when it
     * reaches the check, if all apply alike. Dropped (the core's uncommitted bytes are full), it is tried at the next tick.
     */
    private void maybeProposeDigestCheck() {
        int every = settings.digestEveryEntries();
        if (every == 0 || core.lastIndex() - lastDigestCheckIndex < every) return;
        long before = core.lastIndex();
        propose(new TxnRecord(nowMs, new Txn.DigestCheck(speculative.digest())), null);
        if (core.lastIndex() > before) lastDigestCheckIndex = core.lastIndex();
    }

    public void step(Message m) {
        core.step(m);
    }

    /** See {@link RaftCore#markStorageLost(long)}: call before the first input. */
    public void markStorageLost(long acknowledgedThroughTerm) {
        core.markStorageLost(acknowledgedThroughTerm);
    }

    /** See {@link RaftCore#matchesLeader()}. */
    public boolean matchesLeader() {
        return core.matchesLeader();
    }

    /** True while the core does not vote because its storage lost entries; see {@link RaftCore#markStorageLost(long)}. */
    public boolean catchingUp() {
        return core.catchingUp();
    }

    public void persisted(long index, long term) {
        core.persisted(index, term);
    }

    /**
     * Steps an {@link Message.InstallSnapshot} whose bytes the driver has fetched from the sender and decoded
     * into {@code snapshot} (the state after applying every entry up to {@code m.index()}). Returns true if the
     * core replaced its log by the snapshot: the committed state is then {@code snapshot}, and the driver must
     * store the snapshot and reset its log store to it ({@code index}, {@code snapshotTerm}) before it sends
     * the messages of the next {@link #process} output, which acknowledge the install. Returns false if the
     * message was stale or this log already holds the snapshot's last entry; the state is then unchanged.
     *
     * <p>Requests waiting for entries the snapshot covers are dropped: this node never applies those entries
     * itself, so it cannot tell how they ended; the driver's request timeout answers them.
     */
    public boolean installSnapshot(Message.InstallSnapshot m, TreeState snapshot) {
        if (snapshot.lastZxid() != m.index()) {
            throw new IllegalArgumentException("snapshot at zxid " + snapshot.lastZxid() + " offered for an install at " + m.index());
        }
        core.step(m);
        boolean restored = core.firstIndex() == m.index() + 1 && committed.lastZxid() < m.index();
        if (!restored) return false;
        committed = snapshot;
        var covered = waiting.headMap(m.index(), true);
        for (List<Waiter<T>> ws : covered.values()) waiters -= ws.size();
        covered.clear();
        // A chain built on entries the snapshot replaced; installing means this node follows, so it is stale anyway.
        speculated.clear();
        return true;
    }

    /** A heartbeat for a session; returns false if this node cannot vouch for it (not leader or unknown). */
    public boolean touchSession(long sessionId, long nowMs) {
        followCoreRole();
        return speculative != null && sessions.touch(sessionId, nowMs);
    }

    /**
     * Validates and proposes {@code op}. The outcome arrives later as a completion of {@code token}, or at
     * once (in the next {@link #process} output) if the request is refused or cannot be taken here.
     */
    public void submit(Op op, Caller caller, long nowMs, T token) {
        this.nowMs = Math.max(this.nowMs, nowMs);
        followCoreRole();
        if (speculative == null) {
            completions.add(new Completion<>(token, notLeader()));
            return;
        }
        if (waiters >= settings.pendingRequestsMax()) {
            completions.add(new Completion<>(token, overloaded()));
            return;
        }
        if (caller.sessionId() != 0) sessions.touch(caller.sessionId(), nowMs);
        Prep.Prepared prepared = prep.prep(speculative, op, caller, nowMs);
        switch (prepared) {
            case Prep.Prepared.Rejected r -> {
                Outcome.Refused refusal = new Outcome.Refused(r.code(), r.path(), r.message(), r.results(), r.failedIndex());
                waitForBarrier(token, refusal);
            }
            case Prep.Prepared.Accepted a -> propose(new TxnRecord(nowMs, a.txn()), token);
        }
    }

    /** Completes {@code token} once everything proposed so far is applied (ZooKeeper's sync). */
    public void sync(T token) {
        if (mayTake(token)) waitForBarrier(token, null);
    }

    /**
     * A linearizable read barrier: completes {@code token} with an index such that a read of any tree that has applied
     * it sees every write acknowledged before the call. Normally a read-index read ({@link RaftCore#readIndex}: one
     * round of messages, no log write; reads arriving together share the round). Until this leader has committed an
     * entry of its term, a no-op transaction instead: its commit proves that this node led at a moment after the call
     * (a deposed leader's entry never commits in its term), and every write acknowledged before the call sits at a
     * lower index (Leader Completeness).
     */
    public void readBarrier(T token) {
        if (!mayTake(token)) return;
        long context = ++lastReadContext;
        if (core.readIndex(context)) {
            reads.put(context, token);
            waiters++;
        } else {
            propose(new TxnRecord(nowMs, new Txn.Noop()), token);
        }
    }

    /** The core confirmed (or failed) read-index reads: each waits until its index is applied here. */
    private void serveReads(List<Ready.ReadState> states) {
        for (Ready.ReadState rs : states) {
            T token = reads.remove(rs.context());
            if (token == null) continue;
            waiters--;
            if (rs.failed()) {
                completions.add(new Completion<>(token, notLeader()));
            } else if (committed.lastZxid() >= rs.index()) {
                completions.add(new Completion<>(token, new Outcome.Done(new OpResult.Nothing(), rs.index())));
            } else {
                addWaiter(rs.index(), new Waiter<>(core.termAt(rs.index()), token, null, true));
            }
        }
    }

    /** True if this node leads and has room for one more waiting request; otherwise answers {@code token} why not. */
    private boolean mayTake(T token) {
        followCoreRole();
        if (speculative == null) {
            completions.add(new Completion<>(token, notLeader()));
            return false;
        }
        if (waiters >= settings.pendingRequestsMax()) {
            completions.add(new Completion<>(token, overloaded()));
            return false;
        }
        return true;
    }

    private void waitForBarrier(T token, Outcome.Refused refusal) {
        long barrier = core.lastIndex();
        if (barrier <= committed.lastZxid()) {
            completions.add(new Completion<>(token, refusal != null ? refusal : new Outcome.Done(new OpResult.Nothing(), committed.lastZxid())));
        } else {
            addWaiter(barrier, new Waiter<>(core.termAt(barrier), token, refusal, true));
        }
    }

    private void addWaiter(long index, Waiter<T> w) {
        waiting.computeIfAbsent(index, k -> new ArrayList<>(1)).add(w);
        waiters++;
    }

    private void propose(TxnRecord record, T token) {
        byte[] payload;
        try {
            payload = TxnCodec.encode(record);
        } catch (IllegalArgumentException e) {
            // Validation enforces every codec limit, so this is a bug in it; refusing keeps a record the node could not
            // read back out of the log (which would stop it at every start) and leaves the state untouched.
            if (token != null) completions.add(new Completion<>(token, new Outcome.Refused(ErrorCode.BAD_ARGUMENTS, null,
                    "the request breaks a record limit: " + e.getMessage(), List.of(), -1)));
            return;
        }
        switch (core.propose(payload)) {
            case ProposeResult.Accepted a -> {
                speculative = speculated.extend(speculative, a.index(), a.term(), payload, record);
                if (token != null) addWaiter(a.index(), new Waiter<>(a.term(), token, null, false));
            }
            case ProposeResult.NotLeader n -> {
                if (token != null) completions.add(new Completion<>(token, notLeader()));
            }
            case ProposeResult.Dropped d -> {
                if (token != null) completions.add(new Completion<>(token, new Outcome.Unavailable(ErrorCode.THROTTLED_OP, core.leaderId(), d.reason())));
            }
        }
    }

    private void proposeInternal(Op op) {
        Prep.Prepared prepared = prep.prep(speculative, op, Caller.SYSTEM, nowMs);
        if (prepared instanceof Prep.Prepared.Accepted a) propose(new TxnRecord(nowMs, a.txn()), null);
    }

    /**
     * Proposes deleting empty containers and expired TTL znodes. Validating against the speculative state
     * skips those whose delete is already proposed, and those a pending change has revived.
     */
    private void reapCandidates() {
        List<String> candidates = new ArrayList<>(speculative.containerPaths());
        candidates.addAll(speculative.ttlPaths());
        candidates.sort(null);
        for (String path : candidates) proposeInternal(new Op.Reap(path));
    }

    private Outcome overloaded() {
        return new Outcome.Unavailable(ErrorCode.THROTTLED_OP, core.leaderId(),
                "node " + core.id() + " has " + waiters + " requests in flight, its limit; retry later");
    }

    private Outcome notLeader() {
        int leader = core.leaderId();
        String message = leader == 0 ? "no leader is known; the cluster may have lost its quorum"
                : "node " + core.id() + " is not the leader; node " + leader + " is";
        return new Outcome.Unavailable(ErrorCode.CONNECTION_LOSS, leader, message);
    }

    // ---- output ----

    /** Collects the work produced by the inputs since the last call. */
    public Output<T> process() {
        Ready ready = null;
        List<TreeChange> changes = List.of();
        List<Long> closed = new ArrayList<>(0);
        TreeState before = committed;
        if (core.hasReady()) {
            ready = core.ready();
            changes = new ArrayList<>();
            for (Entry e : ready.committed()) applyEntry(e, changes, closed);
            serveReads(ready.reads());
            core.advance(ready);
            followCoreRole();
        }
        List<Completion<T>> done = completions.isEmpty() ? List.of() : List.copyOf(completions);
        completions.clear();
        List<DigestMismatch> mismatches = digestMismatches.isEmpty() ? List.of() : List.copyOf(digestMismatches);
        digestMismatches.clear();
        return new Output<>(ready, done, changes, committed == before ? null : committed, closed, mismatches);
    }

    private void applyEntry(Entry e, List<TreeChange> changes, List<Long> closedSessions) {
        Speculation.Link known = speculated.takeFor(e, core.role() == Role.LEADER && core.term() == speculativeTerm);
        Apply.Applied applied;
        Txn txn;
        if (known != null) {
            applied = known.applied();
            txn = known.txn();
        } else {
            TxnRecord record = decode(e);
            applied = apply.apply(committed, e.index(), record);
            txn = record.txn();
        }
        committed = applied.state();
        changes.addAll(applied.changes());
        if (txn instanceof Txn.CloseSession cs) closedSessions.add(cs.sessionId());
        if (txn instanceof Txn.DigestCheck) {
            lastDigestCheckIndex = Math.max(lastDigestCheckIndex, e.index());
            if (applied.digestMismatch() != null && settings.digestEveryEntries() > 0) digestMismatches.add(applied.digestMismatch());
        }
        trackSessions(txn);
        List<Waiter<T>> ws = waiting.remove(e.index());
        if (ws != null) {
            waiters -= ws.size();
            for (Waiter<T> w : ws) {
                Outcome outcome;
                if (w.term != e.term()) {
                    outcome = new Outcome.Lost("entry " + e.index() + " was replaced by a new leader before it committed");
                } else if (w.barrier) {
                    outcome = w.refusal != null ? w.refusal : new Outcome.Done(new OpResult.Nothing(), e.index());
                } else {
                    outcome = new Outcome.Done(applied.result(), e.index());
                }
                completions.add(new Completion<>(w.token, outcome));
            }
        }
    }

    private static TxnRecord decode(Entry e) {
        return e.isNoop() ? new TxnRecord(0, new Txn.Noop()) : TxnCodec.decode(e.data());
    }

    private void trackSessions(Txn txn) {
        if (speculative == null) return;
        switch (txn) {
            case Txn.CreateSession cs -> sessions.track(cs.sessionId(), cs.timeoutMs(), nowMs);
            case Txn.CloseSession cs -> sessions.forget(cs.sessionId());
            default -> { }
        }
    }

    /**
     * Brings the speculative state in line with the core's current role and term. A leadership that has ended
     * takes its speculative state with it: its unapplied proposals may already be gone from the log, and a
     * request validated against them could be refused for a change that never happens. A new leadership, even
     * one that follows another of this node's without a {@link #process} in between, starts from the committed
     * state and the log as it is now.
     */
    private void followCoreRole() {
        SoftState soft = core.softState();
        boolean leading = soft.role() == Role.LEADER;
        if (speculative != null && (!leading || soft.term() != speculativeTerm)) {
            speculative = null;
            speculated.clear();
            sessions.reset(Map.of(), nowMs);
        }
        if (leading && speculative == null) {
            speculative = committed;
            speculativeTerm = soft.term();
            long from = committed.lastZxid() + 1;
            List<Entry> inherited = core.entries(from, core.lastIndex());
            if (inherited.size() != Math.max(0, core.lastIndex() - from + 1)) {
                throw new IllegalStateException("entries " + from + " to " + core.lastIndex() + " are not applied but not all held");
            }
            for (Entry e : inherited) speculative = speculated.extend(speculative, e.index(), e.term(), e.data(), decode(e));
            Map<Long, Integer> timeouts = new HashMap<>();
            for (SessionEntry se : speculative.sessions()) timeouts.put(se.id(), se.timeoutMs());
            sessions.reset(timeouts, nowMs);
        }
    }

    // ---- queries for the driver ----

    public TreeState committed() {
        return committed;
    }

    public SoftState softState() {
        return core.softState();
    }

    /** True if the core leads now; requests submitted now are validated and proposed here. */
    public boolean isLeader() {
        return core.role() == Role.LEADER;
    }

    public long commitIndex() {
        return core.commitIndex();
    }

    public long lastIndex() {
        return core.lastIndex();
    }

    /** The first index still held in the log; entries before it are covered by the newest snapshot. */
    public long firstIndex() {
        return core.firstIndex();
    }

    public long termAt(long index) {
        return core.termAt(index);
    }

    public int trackedSessions() {
        return sessions.size();
    }

    public int pendingRequests() {
        return waiters;
    }

    /** Leader only: entries whose state is computed but not yet committed (0 when not leading). */
    public int speculatedEntries() {
        return speculated.size();
    }

    /** Bytes of applied log entries the core still holds in memory (bounded by {@code RaftConfig.appliedLogBytesMax}). */
    public long heldAppliedLogBytes() {
        return core.heldAppliedBytes();
    }

    /** A snapshot at {@code index} is durable: lagging followers are sent to it (see {@code RaftCore.snapshotted}). */
    public void snapshotted(long index) {
        core.snapshotted(Math.min(index, committed.lastZxid()));
    }

    /** Lets the core forget entries a durable snapshot now covers. */
    public void compact(long index) {
        core.compact(Math.min(index, committed.lastZxid()));
    }
}
